import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createMetrics } from '../../src/shared/metrics.js';
import { startMetricsServer } from '../../src/runtime/metrics-server.js';
import { buildTestApp, callSid, signedForm, TEST_ACCOUNT_SID } from '../support/build-test-app.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
let app: FastifyInstance;
before(async () => {
  t = await createTestDb();
  ({ app } = await buildTestApp(t.db));
});
after(async () => {
  await app.close();
  await t.drop();
});

const rowsWritten = async () => {
  const { rows } = await t.db.query(
    `select (select count(*) from evidence_events)::int as ev, (select count(*) from flow_sessions)::int as s,
            (select count(*) from interactions)::int as i, (select count(*) from webhook_receipts)::int as r`,
  );
  return rows[0];
};

const call = { CallSid: callSid(1), AccountSid: TEST_ACCOUNT_SID, From: '+12025550143', To: '+18005550100', CallStatus: 'ringing' };

test('an unsigned POST to /twilio/voice is refused with 403 and writes nothing', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/twilio/voice',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(call).toString(),
  });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().error, 'SIGNATURE_INVALID');
  assert.deepEqual(await rowsWritten(), { ev: 0, s: 0, i: 0, r: 0 });
});

test('a signature for other params, another path or another token is refused', async () => {
  const signed = signedForm('/twilio/voice', call);
  const tampered = { ...signed, payload: new URLSearchParams({ ...call, From: '+12025550199' }).toString() };
  assert.equal((await app.inject(tampered)).statusCode, 403);
  const otherPath = { ...signedForm('/twilio/sms', call), url: '/twilio/voice' };
  assert.equal((await app.inject(otherPath)).statusCode, 403);
  const garbageSig = { ...signed, headers: { ...signed.headers, 'x-twilio-signature': 'bm9wZQ==' } };
  assert.equal((await app.inject(garbageSig)).statusCode, 403);
  assert.deepEqual(await rowsWritten(), { ev: 0, s: 0, i: 0, r: 0 });
});

test('a 2 MB body gets 413 and writes nothing', async () => {
  const big = { ...call, Junk: 'x'.repeat(2 * 1024 * 1024) };
  const res = await app.inject(signedForm('/twilio/voice', big));
  assert.equal(res.statusCode, 413);
  assert.deepEqual(await rowsWritten(), { ev: 0, s: 0, i: 0, r: 0 });
});

test('signed garbage form fields get a 400 with the reason and write nothing', async () => {
  const cases: Record<string, string>[] = [
    { ...call, CallSid: 'not-a-sid' },
    { ...call, AccountSid: '' },
    { From: '+12025550143' },
  ];
  for (const params of cases) {
    const res = await app.inject(signedForm('/twilio/voice', params));
    assert.equal(res.statusCode, 400, JSON.stringify(params));
    assert.match(res.json().message, /CallSid|AccountSid/);
  }
  const badDigits = await app.inject(signedForm('/twilio/voice/turn?step=1&expect=menu', { ...call, Digits: '1; drop table' }));
  assert.equal(badDigits.statusCode, 400);
  const badQuery = await app.inject(signedForm('/twilio/voice/turn?step=abc&expect=menu', call));
  assert.equal(badQuery.statusCode, 400);
  const badSms = await app.inject(signedForm('/twilio/sms', { MessageSid: 'x', AccountSid: TEST_ACCOUNT_SID, From: '+1', To: '+1' }));
  assert.equal(badSms.statusCode, 400);
  assert.deepEqual(await rowsWritten(), { ev: 0, s: 0, i: 0, r: 0 });
});

test('a body that is not a form gets a 4xx, not a 500', async () => {
  const json = await app.inject({ method: 'POST', url: '/twilio/voice', headers: { 'content-type': 'application/json' }, payload: '{"a":' });
  assert.ok(json.statusCode >= 400 && json.statusCode < 500, String(json.statusCode));
  const xml = await app.inject({ method: 'POST', url: '/twilio/voice', headers: { 'content-type': 'text/xml' }, payload: '<x/>' });
  assert.ok(xml.statusCode >= 400 && xml.statusCode < 500, String(xml.statusCode));
});

test('health and readiness answer on the public port; metrics do not (they have their own listener)', async () => {
  assert.equal((await app.inject('/healthz')).json().status, 'ok');
  const ready = await app.inject('/readyz');
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ready', postgres: 'ok', redis: 'ok' });
  const metrics = await app.inject('/metrics');
  assert.equal(metrics.statusCode, 404);
  assert.doesNotMatch(metrics.body, /gateway_http_request_duration_seconds/);
});

test('the metrics listener serves the app\'s metrics (requests counted by route) and nothing else', async () => {
  const m = createMetrics();
  const { app: counted } = await buildTestApp(t.db, { metrics: m });
  const server = await startMetricsServer(m.registry, { port: 0, host: '127.0.0.1' });
  try {
    await counted.inject('/healthz');
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    assert.match(await res.text(), /gateway_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} 1/);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 404);
    assert.equal((await fetch(`${server.url}/metrics`, { method: 'POST' })).status, 404);
  } finally {
    await server.close();
    await counted.close();
  }
});
