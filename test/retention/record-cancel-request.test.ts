import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createRecordCancelRequestHandler } from '../../src/retention/record-cancel-request.handler.js';
import { newId } from '../../src/shared/ids.js';
import { seedPolicyholder } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const record = (given: { policyId: string | null; policyholderId: string | null; callSid: string; channel?: 'ivr' | 'sms' }) =>
  createRecordCancelRequestHandler({ db: t.db, now: () => new Date('2026-12-03T15:00:00Z') })({
    id: newId(), topic: 'retention.cancel-request', payload: { channel: 'ivr' as const, ...given }, interactionId: null, attempt: 1, markStarted: async () => null,
  });
const requests = async (callSid: string) =>
  (await t.db.query('select policy_id, status from cancellation_requests where source_ref = $1', [callSid])).rows;

test('a cancel request is recorded once per call for the retention team', async () => {
  const h = await seedPolicyholder(t.db, { firstName: 'Ana', phone: '+12025550170', policyNumber: 'HM-200170' });
  await record({ policyId: h.policyId, policyholderId: h.policyholderId, callSid: 'CA-one' });
  await record({ policyId: h.policyId, policyholderId: h.policyholderId, callSid: 'CA-one' });
  assert.deepEqual(await requests('CA-one'), [{ policy_id: h.policyId, status: 'open' }]);
});

test('no request is recorded for a policy already cancelled, nor for no policy at all', async () => {
  const h = await seedPolicyholder(t.db, { firstName: 'Ben', phone: '+12025550171', policyNumber: 'HM-200171' });
  await t.db.query(`update policies set status = 'cancelled' where id = $1`, [h.policyId]);
  const out = await record({ policyId: h.policyId, policyholderId: h.policyholderId, callSid: 'CA-two' });
  assert.deepEqual(await requests('CA-two'), []);
  assert.deepEqual(out?.evidence?.[0]?.payload, { requestId: null, policyId: h.policyId, notRecorded: 'already-cancelled' });
  const none = await record({ policyId: null, policyholderId: null, callSid: 'CA-three' });
  assert.deepEqual(await requests('CA-three'), []);
  assert.deepEqual(none?.evidence?.[0]?.payload, { requestId: null, policyId: null, notRecorded: 'no-policy' });
});
