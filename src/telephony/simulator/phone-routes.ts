import type { IncomingMessage, ServerResponse } from 'node:http';
import { readRequestBody } from '../../shared/read-request-body.js';
import type { CallResult, PlaceCallOptions } from './call-player.js';
import { errorBody, isValidAddress, type FakeTwilioError } from './fake-rest-resources.js';
import type { PhoneRegistry } from './remote-phones.js';
import { newSid } from './sids.js';

/** The longest a `GET /simulator/phones/{id}/events?wait=` holds the request. */
export const MAX_PHONE_WAIT_MS = 30_000;

/** What `POST /simulator/phones` answers. */
export type PhoneRegistration = { phoneId: string; number: string };
/** What `POST /simulator/calls` answers: the call placed to the gateway, played with the phone as its person. */
export type PlacedCall = { callSid: string };

/** What the phone endpoints work with: the registered phones, and placing a call on the carrier. */
export type PhoneRouteDeps = { phones: PhoneRegistry; placeCall: (o: PlaceCallOptions) => Promise<CallResult> };

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const fail = (res: ServerResponse, e: FakeTwilioError): true => {
  json(res, e.status, errorBody(e));
  return true;
};
const reply = (res: ServerResponse, status: number, body: unknown): true => {
  json(res, status, body);
  return true;
};
const bad = (message: string): FakeTwilioError => ({ status: 400, code: 21000, message });

const readJson = async (req: IncomingMessage): Promise<Record<string, unknown> | undefined> => {
  try {
    const v: unknown = JSON.parse(await readRequestBody(req));
    return v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

const placeThroughCarrier = async (req: IncomingMessage, res: ServerResponse, deps: PhoneRouteDeps): Promise<void> => {
  const body = await readJson(req);
  const phone = typeof body?.phoneId === 'string' ? deps.phones.byId(body.phoneId) : undefined;
  if (!body || !phone) {
    fail(res, bad("'phoneId' must name a phone registered with POST /simulator/phones"));
    return;
  }
  const { from, to } = body;
  if (typeof from !== 'string' || !isValidAddress(from) || typeof to !== 'string' || !isValidAddress(to)) {
    fail(res, bad("'from' and 'to' must be E.164 numbers"));
    return;
  }
  const pauseMsPerSecond = typeof body.pauseMsPerSecond === 'number' ? body.pauseMsPerSecond : 1000;
  const callSid = newSid('CA');
  const options: PlaceCallOptions = {
    callSid, from, to, input: phone.input(callSid, { pauseMsPerSecond }),
    // why: a person holds in real time; one play of the hold music a second keeps a terminal readable.
    holdLoopMs: typeof body.holdLoopMs === 'number' ? body.holdLoopMs : 1000,
    ...(typeof body.maxRequests === 'number' ? { maxRequests: body.maxRequests } : {}),
  };
  void deps.placeCall(options).then(
    (r) => phone.ended(callSid, r.finalStatus, r.endReason),
    (e: unknown) => phone.ended(callSid, 'failed', e instanceof Error ? e.message : String(e)),
  );
  json(res, 201, { callSid } satisfies PlacedCall);
};

/**
 * The softphones' endpoints (same server and basic auth as the fake REST API): `POST /simulator/phones`
 * {number} registers a phone for a number (calls the carrier places to it ring there), `GET
 * /simulator/phones/{id}/events?after=&wait=` long-polls what happens on its calls, `POST
 * /simulator/phones/{id}/answers` {promptId, value} answers the ringing (`answer`) or a prompt,
 * `DELETE /simulator/phones/{id}` hangs up and unregisters, and `POST /simulator/calls` {phoneId,
 * from, to} places a call to the gateway on the carrier with that phone as the caller.
 * Returns false for a path that is not one of these.
 */
export const handlePhoneRequest = async (req: IncomingMessage, res: ServerResponse, route: string, deps: PhoneRouteDeps): Promise<boolean> => {
  if (route === 'calls' && req.method === 'POST') return placeThroughCarrier(req, res, deps).then(() => true);
  if (route === 'phones' && req.method === 'POST') {
    const body = await readJson(req);
    if (typeof body?.number !== 'string' || !isValidAddress(body.number)) return fail(res, bad("'number' must be an E.164 number"));
    const phone = deps.phones.register(body.number);
    return reply(res, 201, { phoneId: phone.id, number: phone.number } satisfies PhoneRegistration);
  }
  const m = /^phones\/([^/]+)(?:\/(events|answers))?$/.exec(route);
  if (!m) return false;
  const phone = deps.phones.byId(m[1]!);
  if (!phone) return fail(res, { status: 404, code: 20404, message: `No phone ${m[1]} is registered` });
  if (m[2] === undefined && req.method === 'DELETE') {
    deps.phones.unregister(phone.id);
    return reply(res, 200, { ok: true });
  }
  if (m[2] === 'events' && req.method === 'GET') {
    const q = new URL(req.url ?? '/', 'http://simulator').searchParams;
    const after = Number(q.get('after') ?? 0);
    if (!Number.isInteger(after) || after < 0) return fail(res, bad("'after' must be a cursor from an earlier answer"));
    const waitMs = Math.min(Math.max(Number(q.get('wait') ?? 0) || 0, 0), MAX_PHONE_WAIT_MS);
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    const page = await phone.wait(after, waitMs, gone.signal);
    if (!res.writableEnded && !res.destroyed) json(res, 200, page);
    return true;
  }
  if (m[2] === 'answers' && req.method === 'POST') {
    const body = await readJson(req);
    if (typeof body?.promptId !== 'string') return fail(res, bad("'promptId' is required"));
    if (!phone.answer(body.promptId, body.value)) return fail(res, { status: 409, code: 21000, message: 'Nothing waits for that answer (the call moved on)' });
    return reply(res, 200, { ok: true });
  }
  return fail(res, { status: 405, code: 20004, message: 'Method not allowed' });
};
