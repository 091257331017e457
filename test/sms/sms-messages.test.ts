import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { advanceSmsStatus, recordSentSms } from '../../src/sms/sms-messages.js';
import { countSegments } from '../../src/telephony/count-segments.js';
import { newId } from '../../src/shared/ids.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const rowOf = async (sid: string) =>
  (await t.db.query('select interaction_id, status, segments, encoding, to_e164 from sms_messages where provider_sid = $1', [sid])).rows[0];

test('a delivery callback ahead of the sender’s record creates the row; the record then fills it in without moving the state back', async () => {
  const sid = `SM${'a'.repeat(32)}`;
  const interactionId = newId();
  const at = new Date();
  const early = await advanceSmsStatus(t.db, { providerSid: sid, status: 'delivered', errorCode: null, at, interactionId, to: '+12025550143', from: '+18005550100' });
  assert.deepEqual(early, { interactionId, moved: true });
  await recordSentSms(t.db, {
    providerSid: sid, interactionId, outboxId: newId(), to: '+12025550143', from: '+18005550100', counted: countSegments('Hola, señor'), status: 'queued', at,
  });
  assert.deepEqual(await rowOf(sid), { interaction_id: interactionId, status: 'delivered', segments: 1, encoding: 'GSM-7', to_e164: '+12025550143' });
});

test('the state only moves forward, whatever order the callbacks come in; unknown states never overwrite', async () => {
  const sid = `SM${'b'.repeat(32)}`;
  const at = new Date();
  await recordSentSms(t.db, { providerSid: sid, interactionId: null, outboxId: null, to: '+12025550144', from: '+18005550100', counted: countSegments('x'), status: 'queued', at });
  const seen: [string, boolean][] = [];
  for (const status of ['sent', 'undelivered', 'sending', 'delivered', 'toString', 'queued']) {
    const r = await advanceSmsStatus(t.db, { providerSid: sid, status, errorCode: status === 'undelivered' ? 30003 : null, at, interactionId: null, to: null, from: null });
    seen.push([status, r.moved]);
  }
  assert.deepEqual(seen, [['sent', true], ['undelivered', true], ['sending', false], ['delivered', false], ['toString', false], ['queued', false]]);
  const row = (await t.db.query('select status, error_code from sms_messages where provider_sid = $1', [sid])).rows[0];
  assert.deepEqual(row, { status: 'undelivered', error_code: 30003 });
});
