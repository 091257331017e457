import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { XMLParser } from 'fast-xml-parser';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildTestApp } from '../support/build-test-app.js';
import type { DeclaredRoute } from '../../src/shared/webhook-edge/route-input.js';
import { startFuzzTarget, type FuzzTarget } from './fuzz-target.js';
import { PLANTED_CARDS } from './hostile-values.js';
import { REGRESSIONS } from './regressions.js';
import { COMPLIANCE_CONSOLE_ROUTES } from './console-routes/compliance-console.js';
import { OPERATOR_CONSOLE_ROUTES } from './console-routes/operator-console.js';
import { SPECIALIST_CONSOLE_ROUTES } from './console-routes/specialist-console.js';
import { CONSOLE_ROLES, type ConsoleRole } from '../../src/console/console-role.js';
import { casesFor, type FuzzCase } from './route-cases.js';

// Every route the app registers, fuzzed from its declared input (route-input.ts): a fixed seed and
// FUZZ_RUNS cases per route (300 in CI; `npm run fuzz -- --runs 10000` for a long run).
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
/** `npm run fuzz -- --only compliance`: the routes whose "METHOD /path" holds this text (all by default). */
const ONLY = process.env.FUZZ_ONLY ?? '';
/** The routes `npm start` serves; a route missing here, or here but gone, fails the suite. */
const EXPECTED_ROUTES = [
  'GET /healthz', 'GET /readyz',
  'POST /twilio/voice', 'POST /twilio/voice/turn', 'POST /twilio/voice/hold', 'POST /twilio/voice/pay-status', 'POST /twilio/voice/status',
  'POST /twilio/voice/retention',
  'POST /twilio/recovery-call/answer', 'POST /twilio/recovery-call/key', 'POST /twilio/recovery-call/payment', 'POST /twilio/recovery-call/voicemail',
  'POST /twilio/recovery-call/amd', 'POST /twilio/recovery-call/status',
  'POST /twilio/transfer/whisper', 'POST /twilio/transfer/answer', 'POST /twilio/transfer/leg-status', 'POST /twilio/transfer/conference', 'POST /twilio/callback/dialed', 'GET /api/callbacks',
  'GET /api/recovery/tasks', 'GET /api/recovery/report', 'POST /api/recovery/tasks/:id/claim', 'POST /api/recovery/tasks/:id/close',
  'GET /api/transfers/:id', 'POST /api/transfers/:id/outcome', 'GET /api/retention/metrics',
  'POST /twilio/sms', 'POST /twilio/sms/status',
  'POST /stripe/webhook', 'GET /pay/:result',
  'GET /evidence/public-key', 'GET /evidence/checkpoint',
  'GET /api/compliance/interactions', 'GET /api/compliance/interactions/:id/events', 'GET /api/compliance/policies/:policyNumber/timeline',
  'GET /api/compliance/events/:id/proof', 'GET /api/compliance/consistency', 'POST /api/compliance/exports',
  'GET /api/compliance/access-log',
  'GET /contact-card.vcf', 'POST /api/notices', 'GET /api/notices/:batchId',
  'GET /api/specialists', 'POST /api/specialists', 'GET /api/specialists/me', 'PUT /api/specialists/:id/availability',
  'POST /api/failed-debits',
  'GET /console', 'GET /console/sign-in', 'POST /console/sign-in', 'POST /console/sign-out', 'GET /console/assets/:name',
  'GET /console/specialist', 'GET /console/compliance', 'GET /console/operator', 'GET /console/admin',
  'POST /console/admin/users', 'POST /console/admin/unlock',
  ...SPECIALIST_CONSOLE_ROUTES, ...COMPLIANCE_CONSOLE_ROUTES, ...OPERATOR_CONSOLE_ROUTES,
];

// why: the heap is compared after full collections, so what is left is what the app kept.
v8.setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
};
/** Heap growth over the whole run allowed before it counts as a leak (a few MB move with caches and JIT). */
const HEAP_GROWTH_LIMIT = 24 * 1024 * 1024;

let target: FuzzTarget;
let heapAtStart = 0;
let cases = 0;
/** Turns that failed and were answered with the apology (reported: a failure is a finding even when it wrote nothing). */
let failedTurns = 0;
before(async () => {
  target = await startFuzzTarget();
});
after(async () => target?.close());

/** The console role whose session a case on a console page sends (another role's for 'other-role'). */
const consoleRoleOf = (url: string, auth: FuzzCase['auth']): ConsoleRole => {
  const own = (CONSOLE_ROLES.find((r) => url.startsWith(`/console/${r}`)) ?? 'operator');
  return auth === 'other-role' ? (own === 'compliance' ? 'specialist' : 'compliance') : own;
};

const send = (c: FuzzCase): Promise<LightMyRequestResponse> => {
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  const consoleRoute = target.routes.find((r) => r.method === c.method && matches(r.url, c.url))!.input.auth === 'console-session';
  const session = consoleRoute ? target.sessions[consoleRoleOf(c.url, c.auth)] : null;
  if (c.body?.kind === 'form') {
    // A form's own CSRF field carries the session's token in a valid case, so the form is reached.
    const fields = session && c.auth === 'valid' && c.note === 'valid'
      ? c.body.fields.map(([k, v]): [string, string] => [k, k === '_csrf' ? session.csrf : v]) : c.body.fields;
    payload = new URLSearchParams(fields).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (c.body?.kind === 'json') {
    payload = JSON.stringify(c.body.value);
    headers['content-type'] = 'application/json';
  } else if (c.body?.kind === 'raw') {
    payload = c.body.text;
    headers['content-type'] = c.body.contentType;
  }
  const route = target.routes.find((r) => r.method === c.method && matches(r.url, c.url))!;
  if (c.auth !== 'missing') {
    if (route.input.auth === 'twilio') {
      // Signed over what the server decodes (URL encoding turns a lone surrogate into U+FFFD first).
      const decoded: Record<string, string | string[]> = {};
      for (const [k, v] of new URLSearchParams(payload ?? '')) decoded[k] = k in decoded ? ([] as string[]).concat(decoded[k]!, v) : v;
      headers['x-twilio-signature'] = c.auth === 'wrong' ? 'bm9wZQ==' : target.signTwilio(c.url, decoded);
    } else if (route.input.auth === 'stripe') {
      headers['stripe-signature'] = c.auth === 'wrong' ? 't=1,v1=00' : target.signStripe(payload ?? '');
    } else if (route.input.auth === 'compliance-token') {
      headers.authorization = `Bearer ${c.auth === 'wrong' ? 'gwk_nope' : c.auth === 'other-role' ? target.tokens.specialist : target.tokens.compliance}`;
    } else if (route.input.auth === 'operator-token') {
      headers.authorization = `Bearer ${c.auth === 'wrong' ? 'gwk_nope' : c.auth === 'other-role' ? target.tokens.compliance : target.tokens.operator}`;
    } else if (route.input.auth === 'staff-token' || route.input.auth === 'specialist-token') {
      // why: a staff route is sent the specialist's token as often as the operator's (the specialist's reaches their own record).
      const valid = route.input.auth === 'specialist-token' || c.url.length % 2 ? target.tokens.specialist : target.tokens.operator;
      headers.authorization = `Bearer ${c.auth === 'wrong' ? 'gwk_nope' : c.auth === 'other-role' ? target.tokens.compliance : valid}`;
    } else if (session) {
      headers.cookie = `gw_session=${c.auth === 'wrong' ? 'not-a-session' : session.cookie}`;
    }
  }
  return target.app.inject({ method: c.method as 'GET', url: c.url, headers, ...(payload !== undefined ? { payload } : {}) });
};

const matches = (pattern: string, url: string): boolean =>
  new RegExp(`^${pattern.replace(/:\w+/g, '[^/?]*')}(\\?|$)`).test(url);

// What a case wrote: the newest row of each table (ids are time-ordered UUIDv7, one process: an index
// lookup, so long runs stay linear) and the receipts' count (keyed by provider identity, not ordered).
// A refused console sign-in is itself evidence (who tried, from where): audit records of the consoles are
// not counted as writes of the refused request.
const lastWrites = async () =>
  (await target.t.db.query(`select (select id from flow_sessions order by id desc limit 1) as sessions,
                                    (select id from outbox order by id desc limit 1) as outbox,
                                    (select id from evidence_events where type not like 'console.%' order by id desc limit 1) as evidence,
                                    (select id from interactions where kind <> 'audit' order by id desc limit 1) as interactions,
                                    (select count(*) from webhook_receipts)::int as receipts`)).rows[0];

const xml = new XMLParser({ preserveOrder: true, ignoreAttributes: false });
/** Verbs a caller's TwiML may end on: a prompt, a transfer, a goodbye, or a hold that loops. */
const CALL_ENDINGS = new Set(['Gather', 'Pay', 'Redirect', 'Hangup', 'Enqueue', 'Dial', 'Leave', 'Play']);

const topVerbs = (body: string): string[] => {
  const doc = xml.parse(body) as Record<string, unknown>[];
  const response = doc.find((n) => 'Response' in n)?.Response as Record<string, unknown>[] | undefined;
  assert.ok(response, `not TwiML: ${body.slice(0, 200)}`);
  return response.map((n) => Object.keys(n).find((k) => k !== ':@')!).filter(Boolean);
};

/** The invariants every case must keep, whatever was sent. */
const check = async (route: DeclaredRoute, c: FuzzCase, res: LightMyRequestResponse, before: Awaited<ReturnType<typeof lastWrites>>) => {
  const where = `${c.method} ${c.url.slice(0, 120)} (${c.note})`;
  assert.ok(res.statusCode < 500, `${where}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  if (c.auth !== 'valid' && route.input.auth !== 'public') {
    // Refused before anything runs: 401/403 (or Stripe's 400), or an earlier 4xx on the request itself (414, 415, 413).
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${where}: unauthenticated request answered ${res.statusCode}`);
  }
  const isPage = route.input.answers === 'html';
  if (res.statusCode >= 400 && !isPage) {
    const reason = (() => { try { return (res.json() as { message?: unknown }).message; } catch { return undefined; } })();
    assert.ok(typeof reason === 'string' && reason.length > 0, `${where}: ${res.statusCode} without a reason: ${res.body.slice(0, 200)}`);
  }
  if (res.statusCode >= 400) assert.deepEqual(await lastWrites(), before, `${where}: refused (${res.statusCode}) but something was written`);
  // A turn that failed answers the caller with the apology: it too must have written nothing (no half turn).
  if (res.statusCode === 200 && /technical problem|problema técnico/.test(res.body)) {
    assert.deepEqual(await lastWrites(), before, `${where}: a failed turn left something written`);
    failedTurns++;
  }
  if (res.statusCode === 200 && route.input.answers === 'call-twiml') {
    const verbs = topVerbs(res.body);
    assert.ok(CALL_ENDINGS.has(verbs.at(-1) ?? ''), `${where}: the caller's TwiML ends in ${verbs.at(-1) ?? 'nothing'}: ${res.body.slice(0, 300)}`);
  }
  if (res.statusCode === 200 && route.input.answers === 'sms-twiml') topVerbs(res.body);
  for (const pan of PLANTED_CARDS) assert.ok(!res.body.includes(pan), `${where}: a card number is in the answer`);
};

describe('route fuzzing', () => {
  test('every route declares its input and the suite knows every route', () => {
    const found = target.routes.map((r) => `${r.method} ${r.url}`).sort();
    assert.deepEqual(found, [...EXPECTED_ROUTES].sort());
  });

  test('a route registered without a declared input stops the app from starting, naming the route', async () => {
    const undeclared = async (app: FastifyInstance) => {
      app.get('/undeclared', async () => ({ ok: true }));
    };
    await assert.rejects(buildTestApp(target.t.db, { plugins: [undeclared] }).then(({ app }) => app.ready()), /GET \/undeclared declares no input/);
  });

  test('kept regressions: inputs that once broke a route', async () => {
    heapAtStart = heapAfterGc();
    for (const c of REGRESSIONS) {
      const route = target.routes.find((r) => r.method === c.method && matches(r.url, c.url))!;
      const before = await lastWrites();
      await check(route, c, await send(c), before);
    }
  });

  for (const name of EXPECTED_ROUTES.filter((r) => r.includes(ONLY))) {
    test(`${name}: ${RUNS} cases keep every invariant`, async () => {
      const route = target.routes.find((r) => `${r.method} ${r.url}` === name)!;
      await fc.assert(
        fc.asyncProperty(casesFor(route, target), async (c) => {
          cases++;
          const before = await lastWrites();
          await check(route, c, await send(c), before);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    });
  }

  test('the process stays up and its memory flat', (t) => {
    const grown = heapAfterGc() - heapAtStart;
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    t.diagnostic(`heap after GC: ${mb(heapAtStart)} MB before ${cases} cases, grown by ${mb(grown)} MB after (${(grown / Math.max(cases, 1)).toFixed(0)} bytes per case)`);
    assert.ok(grown < HEAP_GROWTH_LIMIT, `the heap grew by ${mb(grown)} MB over ${cases} cases`);
  });

  test('no turn failed (a caller never heard the technical-problem apology)', () => {
    assert.equal(failedTurns, 0);
  });

  test('no planted card number reached storage', async () => {
    const { rows } = await target.t.db.query<{ where: string; text: string }>(
      `select 'evidence' as where, payload::text as text from evidence_events
       union all select 'session', snapshot::text from flow_sessions
       union all select 'answer', response_body from webhook_receipts
       union all select 'outbox', payload::text from outbox
       union all select 'interaction', concat_ws(' ', from_e164, to_e164, provider_ref) from interactions`,
    );
    const leaks = rows.filter((r) => PLANTED_CARDS.some((pan) => r.text.replace(/[\s.-]/g, '').includes(pan)));
    assert.deepEqual(leaks.map((l) => `${l.where}: ${l.text.slice(0, 160)}`), []);
  });
});
