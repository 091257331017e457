import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findSpecialistCalls, type SpecialistCall } from '../../retention/transfer/find-specialist-calls.js';
import { findTransfer } from '../../retention/transfer/transfer-store.js';
import type { RouteInput } from '../../shared/webhook-edge/route-input.js';
import { findSession } from '../console-sessions.js';
import { requirePageRole, type ConsoleDeps } from '../role-page.js';
import { SESSION_COOKIE } from '../session-hook.js';

/** How often the live transfers are read, how often a quiet stream says it is alive, and how long one stream lasts. */
export const LIVE_FEED = { pollMs: 1_000, heartbeatMs: 15_000, sessionCheckMs: 30_000, maxMs: 5 * 60_000, retryMs: 2_000 } as const;

export const EVENTS_PATH = '/console/specialist/events';

/** The specialist behind a signed-in specialist request, or null once the refusal is sent (JSON, with the reason). */
export const specialistOf = (deps: ConsoleDeps, request: FastifyRequest, reply: FastifyReply): string | null => {
  const s = requirePageRole(deps, 'specialist', request, reply);
  if (!s) return null;
  if (!s.user.specialistId) {
    void reply.code(403).send({ error: 'FORBIDDEN', message: 'this console user is bound to no retention specialist: an admin binds one on the users page' });
    return null;
  }
  return s.user.specialistId;
};

const frame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

type Known = Map<string, SpecialistCall['state']>;
const STATE_CODE = { ringing: 'r', connected: 'c' } as const;
const KNOWN_ENTRY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([rc])$/;
/** What the page was told is live, as the stream's event id (`<transfer>:r,<transfer>:c`), which EventSource sends back on reconnecting. */
const knownId = (known: Known) => [...known].map(([id, state]) => `${id}:${STATE_CODE[state]}`).join(',');
/** The page's last known state from its Last-Event-ID (anything unreadable is left out). */
const knownFrom = (header: string | string[] | undefined): Known => new Map(
  String(header ?? '').slice(0, 4_000).split(',').flatMap((entry) => {
    const m = KNOWN_ENTRY.exec(entry.trim());
    return m ? [[m[1]!, m[2] === 'c' ? 'connected' : 'ringing'] as const] : [];
  }).slice(0, 50),
);
const view = (c: SpecialistCall) => ({ transferId: c.transferId, kind: c.kind, requestedAt: c.requestedAt.toISOString() });

/**
 * The specialist page's live feed (server-sent events): `ringing` when a transfer or callback
 * attempt starts ringing this specialist (before they accept), `connected` when they accepted it,
 * `ended` when it no longer concerns them (taken by someone else, the caller gone, the call over;
 * `taken` says whether they were the one who took it).
 * The first round says what is live already; each change ends with the stream's event id saying what
 * the page now knows, so that a reconnecting EventSource (Last-Event-ID) hears what ended meanwhile. Read every second from retention's live transfers; a
 * comment line every 15 s keeps proxies from closing a quiet stream; after 5 minutes the stream ends
 * and the browser's EventSource reconnects (`retry`), so each connection's session is checked anew;
 * within a stream the session is checked every 30 s (an open feed keeps it alive, as a page in use does).
 * A request that does not accept text/event-stream (a probe, curl) gets that first round only.
 */
export const specialistEventsRoute = (app: FastifyInstance, deps: ConsoleDeps) => {
  const open = new Set<() => void>();
  // why: a stream never ends by itself; closing the server ends them first, or close would wait for them.
  app.addHook('preClose', async () => {
    for (const stop of open) stop();
  });

  app.get(EVENTS_PATH, { config: { input: { auth: 'console-session', answers: 'text' } satisfies RouteInput } }, async (request, reply) => {
    const specialistId = specialistOf(deps, request, reply);
    if (!specialistId) return reply;
    const live = (request.headers.accept ?? '').includes('text/event-stream');
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no',
    });
    raw.write(`retry: ${LIVE_FEED.retryMs}\n\n`);

    // why: a transfer that ended while the browser was reconnecting still gets its `ended`.
    let known = knownFrom(request.headers['last-event-id']);
    let ended = false;
    const timers: NodeJS.Timeout[] = [];
    const stop = () => {
      if (ended) return;
      ended = true;
      for (const t of timers) clearTimeout(t);
      open.delete(stop);
      if (!raw.destroyed) raw.end();
    };
    const write = (text: string) => {
      if (!ended && !raw.destroyed) raw.write(text);
    };
    const round = async () => {
      const calls = await findSpecialistCalls(deps.db, specialistId);
      if (ended) return;
      const now = new Map(calls.map((c) => [c.transferId, c.state]));
      for (const c of calls) if (known.get(c.transferId) !== c.state) write(frame(c.state, view(c)));
      for (const id of known.keys()) {
        if (now.has(id)) continue;
        // why: a short call can be accepted and over between two reads; whether it was theirs decides if the page asks for its outcome.
        const t = await findTransfer(deps.db, { id });
        write(frame('ended', { transferId: id, taken: t?.specialistId === specialistId }));
      }
      const changed = knownId(known) !== knownId(now);
      known = now;
      if (changed) write(`id: ${knownId(now)}\n\n`);
    };
    const poll = async () => {
      try {
        await round();
      } catch (err) {
        request.log.warn({ err }, 'specialist live feed: reading the live transfers failed; the stream ends and the browser reconnects');
        return stop();
      }
      if (!ended) timers[0] = setTimeout(poll, LIVE_FEED.pollMs);
    };

    if (!live) {
      await round().catch((err: unknown) => request.log.warn({ err }, 'specialist live feed: one round failed'));
      return stop();
    }
    open.add(stop);
    raw.on('close', stop);
    const heartbeat = () => {
      if (ended) return;
      write(': heartbeat\n\n');
      timers[1] = setTimeout(heartbeat, LIVE_FEED.heartbeatMs);
    };
    timers[1] = setTimeout(heartbeat, LIVE_FEED.heartbeatMs);
    timers[2] = setTimeout(stop, LIVE_FEED.maxMs);
    // A session that ends meanwhile (signed out in another tab, the user disabled, its 12 hours up) ends the stream.
    const cookie = request.cookies[SESSION_COOKIE] ?? '';
    const checkSession = async () => {
      const still = await findSession(deps.db, deps.clock, cookie).catch(() => null);
      if (!still) return stop();
      if (!ended) timers[3] = setTimeout(() => void checkSession(), LIVE_FEED.sessionCheckMs);
    };
    timers[3] = setTimeout(() => void checkSession(), LIVE_FEED.sessionCheckMs);
    await poll();
  });
};
