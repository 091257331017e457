import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { buildApp } from '../../src/app.js';
import { appendEvidence } from '../../src/evidence/append-evidence.js';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import { asOneTurnEvent } from '../../src/evidence/turn-event.js';
import { complianceRoutes } from '../../src/evidence/compliance.routes.js';
import { createPolicyPaymentRecords } from '../../src/payments/policy-payment-records.js';
import { openCheckpoint } from '../../src/evidence/checkpoint.js';
import { verifyInclusion } from '../../src/evidence/merkle/rfc6962.js';
import { parseVerifierKey } from '../../src/evidence/signer.js';
import { createDeployedRegistry } from '../../src/flows/machines.js';
import { loadPromptCatalog } from '../../src/ivr/prompts/prompt-catalog.js';
import { systemClock } from '../../src/shared/clock.js';
import { loadSmsCatalog } from '../../src/sms/sms-catalog.js';
import { ALWAYS_OPEN } from '../support/build-test-app.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { seedPolicy, seedPolicyholder, type SeededHolder } from '../support/seed.js';
import { dropWhenIdle, newInteraction, sequenceAll, testSigner } from './support.js';

let t: TestDb;
let app: FastifyInstance;
let holder: SeededHolder;
let call: string;
const tokens: Record<string, string> = {};
const signer = testSigner();

before(async () => {
  t = await createTestDb();
  holder = await seedPolicyholder(t.db, { firstName: 'Ana', phone: '+12025550177', policyNumber: 'API-1' });
  call = await newInteraction(t.db, { policyId: holder.policyId, policyholderId: holder.policyholderId, from: holder.phone, ref: 'CA77' });
  await appendEvidence(t.db, systemClock, call, [
    { type: 'ivr.prompt', payload: { said: ['Hello Ana'] } },
    { type: 'ivr.input', providerRef: 'CA77', providerTime: new Date(), payload: { step: 'menu', digits: '1' } },
  ]);
  // A webhook turn as the runtime writes it: one event holding its parts.
  await appendEvidence(t.db, systemClock, call, asOneTurnEvent([
    { type: 'webhook.received', providerRef: 'CA77', payload: { path: '/twilio/voice/turn', params: { Digits: '2' } } },
    { type: 'ivr.input', providerRef: 'CA77', payload: { step: 3, digits: '2' } },
    { type: 'flow.transition', payload: { from: 'mainMenu', to: 'amountDue', event: 'MENU' } },
    { type: 'ivr.prompt', payload: { said: ['You owe 84 dollars.'] } },
  ]));
  await sequenceAll(t.db, systemClock);
  for (const role of ['compliance', 'specialist'] as const) tokens[role] = (await createApiToken(t.db, systemClock, { name: `${role}-user`, role })).token;
  app = await buildApp({
    config: {
      publicBaseUrl: 'https://gw.example.test', insurerName: 'Harbor Mutual', bodyLimitBytes: 1 << 20,
      businessHours: ALWAYS_OPEN, payConnector: 'Stripe_Connector',
    },
    db: t.db, redis: { ping: async () => 'PONG' }, clock: systemClock, machines: createDeployedRegistry(), dispatch: () => undefined,
    twilioAuthToken: 'x'.repeat(32), prompts: loadPromptCatalog(), smsCatalog: loadSmsCatalog(),
    plugins: [complianceRoutes({ db: t.db, clock: systemClock, signer, zone: 'America/New_York', payments: createPolicyPaymentRecords(t.db), kickSequencer: async () => void (await sequenceAll(t.db, systemClock)) })],
  });
});
after(async () => {
  await app.close();
  await dropWhenIdle(t);
});

const get = (url: string, role?: string) => app.inject({ method: 'GET', url, headers: role ? { authorization: `Bearer ${tokens[role] ?? role}` } : {} });
const accesses = async () => (await t.db.query(`select payload from evidence_events where type like 'evidence.%' order by received_at`)).rows.map((r) => r.payload);

test('401 without a token, 403 for the wrong role, and refused reads leave no data behind', async () => {
  assert.equal((await get('/api/compliance/interactions?policy=API-1')).statusCode, 401);
  assert.equal((await get('/api/compliance/interactions?policy=API-1', 'gwk_unknown')).statusCode, 401);
  const r = await get('/api/compliance/interactions?policy=API-1', 'specialist');
  assert.equal(r.statusCode, 403);
  assert.equal(r.json().error, 'EVD_FORBIDDEN');
  assert.equal((await get('/api/compliance/interactions?phone=12345', 'compliance')).statusCode, 400);
});

test('search, timeline and proofs work, and every read appears in the log as who/what/when', async () => {
  const before = (await accesses()).length;
  const s = await get(`/api/compliance/interactions?phone=${encodeURIComponent(holder.phone)}`, 'compliance');
  assert.equal(s.statusCode, 200, s.body);
  assert.deepEqual(s.json().interactions.map((i: { id: string }) => i.id), [call]);
  const from = new Date(Date.now() - 3600_000).toISOString();
  const to = new Date(Date.now() + 3600_000).toISOString();
  const tl = await get(`/api/compliance/policies/API-1/timeline?from=${from}&to=${to}`, 'compliance');
  assert.equal(tl.statusCode, 200, tl.body);
  const entries = tl.json().entries as { type: string; kind: string; providerTime: string | null; receivedAt: string; eventId: string }[];
  const input = entries.find((e) => e.type === 'ivr.input')!;
  assert.equal(input.kind, 'call');
  assert.ok(input.providerTime && input.receivedAt, 'both clocks');
  const p = await get(`/api/compliance/events/${input.eventId}/proof`, 'compliance');
  assert.equal(p.statusCode, 200, p.body);
  const body = p.json();
  const key = parseVerifierKey((await get('/evidence/public-key')).body);
  const cp = openCheckpoint(body.checkpoint, key);
  verifyInclusion(body.leafIndex, body.treeSize, Buffer.from(body.leafHash, 'base64'), body.hashes.map((h: string) => Buffer.from(h, 'base64')), cp.rootHash);
  const after = await accesses();
  assert.equal(after.length, before + 3);
  assert.deepEqual(after.slice(-3).map((a) => [a.action, a.actor.name, a.actor.role]), [
    ['search', 'compliance-user', 'compliance'], ['timeline', 'compliance-user', 'compliance'], ['proof', 'compliance-user', 'compliance'],
  ]);
  assert.equal(JSON.stringify(after).includes(tokens.compliance!), false, 'the token itself is never logged');
});

test('export through the API returns the bundle files; the public checkpoint is served', async () => {
  const r = await app.inject({
    method: 'POST', url: '/api/compliance/exports', headers: { authorization: `Bearer ${tokens.compliance}` },
    payload: { policy: 'API-1', from: new Date(Date.now() - 3600_000).toISOString(), to: new Date().toISOString() },
  });
  assert.equal(r.statusCode, 200, r.body);
  const files = r.json().files as Record<string, string>;
  assert.ok(files['verify.mjs'] && files['checkpoint.txt'] && files['events.json'] && files['README.txt']);
  const cp = await get('/evidence/checkpoint');
  assert.equal(cp.statusCode, 200);
  assert.match(cp.body, /^test\.retention-gateway\/evidence\n\d+\n/);
});

test('the timeline shows a one-event turn part by part, each part pointing at the event and its leaf', async () => {
  const from = new Date(Date.now() - 3600_000).toISOString();
  const to = new Date(Date.now() + 3600_000).toISOString();
  const tl = await get(`/api/compliance/policies/API-1/timeline?from=${from}&to=${to}`, 'compliance');
  assert.equal(tl.statusCode, 200, tl.body);
  type Entry = { type: string; kind: string; part: number | null; eventId: string; seq: number; leafIndex: number | null; payload: Record<string, unknown> };
  const turn = (tl.json().entries as Entry[]).filter((e) => e.part !== null);
  assert.deepEqual(turn.map((e) => [e.part, e.type, e.kind]), [
    [0, 'webhook.received', 'call'], [1, 'ivr.input', 'call'], [2, 'flow.transition', 'state'], [3, 'ivr.prompt', 'call'],
  ]);
  assert.equal(new Set(turn.map((e) => e.eventId)).size, 1, 'one event, one leaf');
  assert.equal(typeof turn[0]!.leafIndex, 'number');
  assert.deepEqual(turn[1]!.payload, { step: 3, digits: '2' });
  const p = await get(`/api/compliance/events/${turn[0]!.eventId}/proof`, 'compliance');
  assert.equal(p.statusCode, 200, p.body);
});

const post = (url: string, payload: unknown) =>
  app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${tokens.compliance}` }, payload: payload as object });

test('windows take dates and date-times alike, an end date includes its whole day, in the insurer\'s zone', async () => {
  const today = DateTime.now().setZone('America/New_York').toISODate()!;
  const byDate = await get(`/api/compliance/policies/API-1/timeline?from=${today}&to=${today}`, 'compliance');
  assert.equal(byDate.statusCode, 200, byDate.body);
  assert.ok((byDate.json().entries as unknown[]).length > 0, 'today\'s events are in a window ending today');
  const s = await get(`/api/compliance/interactions?policy=API-1&from=${today}&to=${today}`, 'compliance');
  assert.equal(s.statusCode, 200, s.body);
  assert.deepEqual(s.json().interactions.filter((i: { kind: string }) => i.kind === 'call').map((i: { id: string }) => i.id), [call]);
  const bad = await get('/api/compliance/policies/API-1/timeline?from=yesterday&to=2026-12-31', 'compliance');
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().message, /from must be a date \(YYYY-MM-DD, a whole day in America\/New_York\) or an ISO 8601 date-time/);
  const backwards = await get('/api/compliance/policies/API-1/timeline?from=2026-12-31&to=2026-11-01', 'compliance');
  assert.equal(backwards.statusCode, 400);
  assert.match(backwards.json().message, /from must not be after to/);
});

test('an export is asked for with the same names as the search (policy, from, to, since); other names are refused by name', async () => {
  const today = DateTime.now().setZone('America/New_York').toISODate()!;
  const ok = await post('/api/compliance/exports', { policy: 'API-1', from: today, to: today });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(JSON.parse(ok.json().files['manifest.json']).policy.number, 'API-1');
  const beyond = await post('/api/compliance/exports', { policy: 'API-1', from: today, to: today, since: 999_999 });
  assert.equal(beyond.statusCode, 400, beyond.body);
  assert.match(beyond.json().message, /since 999999 is beyond the latest signed checkpoint/);
  const old = await post('/api/compliance/exports', { policyNumber: 'API-1', from: today, to: today });
  assert.equal(old.statusCode, 400);
  assert.match(old.json().message, /policyNumber/);
  assert.match(old.json().message, /policy:/);
});

test('a wrong token is told it is not valid, a missing one that it is required', async () => {
  const wrong = await get('/api/compliance/interactions?policy=API-1', 'gwk_unknown');
  assert.equal(wrong.statusCode, 401);
  assert.match(wrong.json().message, /not valid/);
  assert.match((await get('/api/compliance/interactions?policy=API-1')).json().message, /required/);
});

test('a call of a holder with two policies lists both; each policy\'s timeline keeps the other policy\'s events out', async () => {
  const h = await seedPolicyholder(t.db, { firstName: 'James', phone: '+12025550143', policyNumber: 'API-A' });
  const second = await seedPolicy(t.db, h.policyholderId, 'API-B');
  const c = await newInteraction(t.db, { policyholderId: h.policyholderId, from: h.phone, ref: 'CA-TWO' });
  await appendEvidence(t.db, systemClock, c, [
    { type: 'ivr.prompt', payload: { said: ['Which policy?'] } },
    { type: 'retention.cancel-requested', payload: { requestId: null, policyId: second } },
  ]);
  const s = await get(`/api/compliance/interactions?phone=${encodeURIComponent(h.phone)}`, 'compliance');
  assert.equal(s.statusCode, 200, s.body);
  const hit = s.json().interactions.find((i: { id: string }) => i.id === c);
  assert.deepEqual(hit.policies, ['API-A', 'API-B']);
  const w = `from=${new Date(Date.now() - 3600_000).toISOString()}&to=${new Date(Date.now() + 3600_000).toISOString()}`;
  const types = async (n: string) => ((await get(`/api/compliance/policies/${n}/timeline?${w}`, 'compliance')).json().entries as { type: string; interactionId: string }[])
    .filter((e) => e.interactionId === c).map((e) => e.type);
  assert.deepEqual(await types('API-A'), ['ivr.prompt'], 'the cancellation of API-B is not in API-A\'s timeline');
  assert.deepEqual(await types('API-B'), ['ivr.prompt', 'retention.cancel-requested']);
});
