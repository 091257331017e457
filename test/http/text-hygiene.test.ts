import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, callSid, messageSid, signedForm, TEST_ACCOUNT_SID } from '../support/build-test-app.js';
import { evidenceParts } from '../support/evidence-parts.js';
import { seedPolicyholder } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
let app: FastifyInstance;
before(async () => {
  t = await createTestDb();
  await seedPolicyholder(t.db, { firstName: 'Ana', phone: '+12025550177', policyNumber: 'HYG-1' });
  ({ app } = await buildTestApp(t.db));
});
after(async () => {
  await app.close();
  await t.drop();
});

test('a call whose From holds a NUL byte is answered and recorded like any call (signed as Twilio sent it), the refused byte kept as evidence', async () => {
  const params = { CallSid: callSid(71), AccountSid: TEST_ACCOUNT_SID, From: '+1202555\u00000177', To: '+18005550100', CallStatus: 'ringing' };
  const res = await app.inject(signedForm('/twilio/voice', params));
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<Gather/);
  assert.doesNotMatch(res.body, /technical/i);
  assert.match(res.body, /Ana/, 'the cleaned number identifies the caller');
  const parts = await evidenceParts(t.db, `e.interaction_id = (select id from interactions where provider_ref = $1)`, [params.CallSid]);
  const received = parts.find((p) => p.type === 'webhook.received')!;
  assert.deepEqual(received.payload.refused, [{ field: 'body.From', refused: [{ unit: '\\u0000', at: 8 }] }]);
  assert.equal((received.payload.params as Record<string, string>).From, '+12025550177');
});

// (A lone surrogate cannot arrive in a form body: URL encoding turns it into U+FFFD first; JSON can carry one, see clean-text.test.ts.)
test('a text with a NUL is answered, its body stored clean', async () => {
  const params = { MessageSid: messageSid(72), AccountSid: TEST_ACCOUNT_SID, From: '+12025550177', To: '+18005550100', Body: 'HE\u0000LP \uD83D' };
  const res = await app.inject(signedForm('/twilio/sms', params));
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<Message>/);
  const parts = await evidenceParts(t.db, `e.interaction_id in (select id from interactions where kind = 'sms-thread')`, []);
  const received = parts.find((p) => p.type === 'webhook.received' && p.providerRef === params.MessageSid)!;
  assert.deepEqual(received.payload.refused, [{ field: 'body.Body', refused: [{ unit: '\\u0000', at: 2 }] }]);
  assert.equal((received.payload.params as Record<string, string>).Body, 'HELP \uFFFD');
});

test('a NUL in a query string is a 4xx with a reason, never a 500', async () => {
  const res = await app.inject({ method: 'POST', url: '/twilio/voice/turn?step=%00&expect=menu', ...signedFormOf('/twilio/voice/turn?step=%00&expect=menu') });
  assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode} ${res.body}`);
  assert.match(res.json().message, /step/);
});

const signedFormOf = (path: string) => {
  const f = signedForm(path, { CallSid: callSid(73), AccountSid: TEST_ACCOUNT_SID, From: '+12025550177', To: '+18005550100', CallStatus: 'in-progress' });
  return { headers: f.headers, payload: f.payload };
};
