import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createScriptedInput } from '../../src/telephony/simulator/index.js';
import { signedForm, TEST_ACCOUNT_SID } from '../support/build-test-app.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedDue, seedPolicyholder, seedSmsConsent } from '../support/seed.js';

let h: GatewayHarness;
before(async () => {
  h = await startGatewayHarness();
});
after(async () => h.close());

/**
 * A policyholder like James in demo/policyholders.csv: the mobile number they call from and an
 * alternate one (which sorts first by label); consent as each test says.
 */
const twoNumbers = async (mobile: string, alternate: string, policyNumber: string, consented: string[]) => {
  const p = await seedPolicyholder(h.t.db, { firstName: 'James', phone: mobile, policyNumber });
  await h.t.db.query(`insert into policyholder_phones (policyholder_id, phone_e164, label) values ($1, $2, 'alternate')`, [p.policyholderId, alternate]);
  const dueId = await seedDue(h.t.db, p.policyId, 11_820);
  for (const n of consented) await seedSmsConsent(h.t.db, n);
  return { ...p, dueId };
};

const payByPhone = async (from: string) => {
  const call = await h.sim.placeCall({
    from,
    to: '+18005550100',
    input: createScriptedInput([{ digits: '1' }, { pay: { cardNumber: '4242424242424242' } }, 'hangup'], { whenExhausted: 'hangup', pauseMsPerSecond: 250 }),
  });
  assert.deepEqual(call.errors, []);
  assert.match(call.said.join(' '), /was received/);
  return call;
};

/**
 * What the call's jobs recorded after the payment: receipt decisions and messages sent or
 * suppressed. The caller may hear the payment (the due is paid) before the jobs' evidence commits,
 * so this waits for the charge job and the receipt job it queued (written with its completion) to complete.
 */
const receiptEvidence = async (callSid: string) => {
  const deadline = Date.now() + 10_000;
  const done = async () => (await h.t.db.query(
    `select 1 from outbox o join interactions i on i.id = o.interaction_id
      where i.provider_ref = $1 and o.topic = 'payments.charge-due' and o.completed_at is not null
        and not exists (select 1 from outbox r where r.interaction_id = o.interaction_id and r.topic = 'sms.payment-receipt' and r.completed_at is null)`,
    [callSid])).rowCount === 1;
  while (!(await done()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return (await h.t.db.query(
    `select e.type, e.payload from evidence_events e join interactions i on i.id = e.interaction_id
      where i.provider_ref = $1 and e.type in ('payment.receipt', 'outbound.sent', 'outbound.suppressed', 'outbound.failed', 'consent.changed')
      order by e.seq`, [callSid])).rows;
};

const textsTo = (n: string) => h.carrier.messages.entries.filter((m) => m.to === n);

test('the receipt goes to the number the customer called from when it has consent, not to their other number', async () => {
  await twoNumbers('+12025550443', '+12025550419', 'HM-700001', ['+12025550443']);
  const receipt = h.carrier.messages.next({ to: '+12025550443' });
  const call = await payByPhone('+12025550443');
  assert.match((await receipt).body, /Confirmation number/);
  assert.equal(textsTo('+12025550419').length, 0);
  const ev = await receiptEvidence(call.callSid);
  assert.deepEqual(ev.map((e) => e.type), ['payment.receipt', 'outbound.sent']);
  assert.equal(ev[0].payload.to, '+12025550443');
  assert.equal(ev[0].payload.basis, 'caller');
  assert.deepEqual({ encoding: ev[1].payload.encoding, segments: ev[1].payload.segments }, { encoding: 'GSM-7', segments: 1 }, 'segments counted and recorded');
});

test('the caller ID without consent: the receipt goes to another consented number of the holder, and the evidence says why', async () => {
  await twoNumbers('+12025550444', '+12025550420', 'HM-700002', ['+12025550420']);
  const receipt = h.carrier.messages.next({ to: '+12025550420' });
  const call = await payByPhone('+12025550444');
  assert.match((await receipt).body, /Confirmation number/);
  assert.equal(textsTo('+12025550444').length, 0);
  const ev = await receiptEvidence(call.callSid);
  assert.deepEqual(ev.map((e) => e.type), ['payment.receipt', 'outbound.sent']);
  assert.equal(ev[0].payload.to, '+12025550420');
  assert.equal(ev[0].payload.basis, 'other-number');
  assert.match(ev[0].payload.reason, /\+12025550444 has no SMS consent/);
});

test('no number with consent: no receipt is sent, and the evidence names every number checked and why', async () => {
  await twoNumbers('+12025550445', '+12025550421', 'HM-700003', []);
  await h.t.db.query(`insert into consents (phone_e164, channel, granted, source, recorded_at) values ($1, 'sms', false, 'sms-keyword', now())`, ['+12025550421']);
  const call = await payByPhone('+12025550445');
  const ev = await receiptEvidence(call.callSid);
  assert.deepEqual(ev.map((e) => e.type), ['payment.receipt']);
  assert.equal(ev[0].payload.to, null);
  assert.equal(ev[0].payload.basis, 'none');
  assert.deepEqual(ev[0].payload.checked, [{ to: '+12025550445', consent: 'none' }, { to: '+12025550421', consent: 'opted-out' }]);
  assert.match(ev[0].payload.reason, /No receipt sent/);
  assert.equal(textsTo('+12025550445').length + textsTo('+12025550421').length, 0);
});

test('the carrier refuses the receipt as unsubscribed (21610): not retried, the number is opted out for every flow, and the evidence says so', async () => {
  await twoNumbers('+12025550446', '+12025550422', 'HM-700004', ['+12025550446']);
  h.carrier.beforeCreate = (kind, p) => (kind === 'message' && p.get('To') === '+12025550446'
    ? { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' } : undefined);
  try {
    const call = await payByPhone('+12025550446');
    const ev = await receiptEvidence(call.callSid);
    assert.deepEqual(ev.map((e) => e.type), ['payment.receipt', 'outbound.failed', 'consent.changed']);
    assert.equal(ev[1].payload.errorCode, 21610);
    assert.deepEqual({ granted: ev[2].payload.granted, source: ev[2].payload.source }, { granted: false, source: 'carrier-error:21610' });
    const consent = await h.t.db.query(`select granted from consents where phone_e164 = '+12025550446' and channel = 'sms'`);
    assert.equal(consent.rows[0].granted, false);
    const attempts = await h.t.db.query(`select o.completed_at from outbox o join interactions i on i.id = o.interaction_id
                                          where i.provider_ref = $1 and o.topic = 'sms.payment-receipt'`, [call.callSid]);
    assert.ok(attempts.rows[0].completed_at, 'the receipt job completed: a refusal for good is not retried');
  } finally {
    h.carrier.beforeCreate = () => undefined;
  }
});

test('the receipt\'s delivery status lands on the call it was sent for and only moves forward; a late or repeated callback changes nothing', async () => {
  await twoNumbers('+12025550447', '+12025550423', 'HM-700005', ['+12025550447']);
  const receipt = h.carrier.messages.next({ to: '+12025550447' });
  const call = await payByPhone('+12025550447');
  const sms = await receipt;
  await receiptEvidence(call.callSid);
  await h.carrier.idle();
  const ledger = async () => (await h.t.db.query(
    `select m.status, m.segments, m.encoding, i.provider_ref from sms_messages m join interactions i on i.id = m.interaction_id where m.provider_sid = $1`,
    [sms.sid])).rows[0];
  assert.deepEqual(await ledger(), { status: 'delivered', segments: 1, encoding: 'GSM-7', provider_ref: call.callSid });
  const late = { AccountSid: TEST_ACCOUNT_SID, MessageSid: sms.sid, SmsSid: sms.sid, MessageStatus: 'sending', SmsStatus: 'sending', To: sms.to, From: sms.from ?? '' };
  for (let i = 0; i < 2; i++) assert.equal((await h.app.inject(signedForm('/twilio/sms/status', late))).statusCode, 204);
  assert.equal((await ledger()).status, 'delivered', 'a late "sending" does not move a delivered text back');
  const statuses = (await h.t.db.query(
    `select e.payload from evidence_events e join interactions i on i.id = e.interaction_id
      where i.provider_ref = $1 and e.type = 'sms.status' order by e.seq`, [call.callSid])).rows.map((r) => [r.payload.status, r.payload.moved]);
  // 'queued' may come before or after the sender recorded the text (moved either way); the rest is ordered.
  assert.deepEqual(statuses.map(([status]) => status), ['queued', 'sent', 'delivered', 'sending'], 'each distinct callback recorded once, on the call');
  assert.deepEqual(statuses.slice(1), [['sent', true], ['delivered', true], ['sending', false]]);
});
