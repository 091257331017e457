import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { verifyChains } from '../../src/evidence/verify-chains.js';
import { savePaymentMethod } from '../../src/payments/save-payment-method.js';
import { createScriptedInput } from '../../src/telephony/simulator/index.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedDue, seedPolicyholder, seedSmsConsent } from '../support/seed.js';

let h: GatewayHarness;
before(async () => {
  h = await startGatewayHarness();
});
after(async () => h.close());

const holder = async (phone: string, policyNumber: string, card: string | null) => {
  const p = await seedPolicyholder(h.t.db, { firstName: 'Maria', phone, policyNumber });
  const dueId = await seedDue(h.t.db, p.policyId, 12_450);
  await seedSmsConsent(h.t.db, phone);
  if (card) await savePaymentMethod({ policyholderId: p.policyholderId, paymentMethodId: card }, h.payments.deps);
  return { ...p, dueId };
};

const chargesAtStripe = () => h.payments.fakeStripe!.counters.chargesCreated;

test('pay with the card on file: one charge through the real SDK, confirmation read back digit by digit, receipt texted', async () => {
  const m = await holder('+12025550201', 'HM-500001', 'pm_card_visa');
  const before = chargesAtStripe();
  const receipt = h.carrier.messages.next({ to: '+12025550201' });
  const call = await h.sim.placeCall({
    from: '+12025550201',
    to: '+18005550100',
    input: createScriptedInput([{ digits: '1' }, { digits: '1' }, 'hangup'], { whenExhausted: 'hangup', pauseMsPerSecond: 250 }),
  });
  assert.deepEqual(call.errors, []);
  const heard = call.said.join(' ');
  assert.match(heard, /\$124\.50 (?:is|was) due on December 1/);
  assert.match(heard, /Your payment of \$124\.50 was received\. Your confirmation number is ((\d), ){7}\d\./);
  const code = /confirmation number is ([\d, ]+)\./.exec(heard)![1]!.replace(/[, ]/g, '');
  assert.equal(chargesAtStripe() - before, 1);
  const due = (await h.t.db.query('select status from premium_dues where id = $1', [m.dueId])).rows[0];
  assert.equal(due.status, 'paid');
  const sms = await receipt;
  assert.match(sms.body, new RegExp(`Confirmation number ${code}`));
  const ix = (await h.t.db.query('select id from interactions where provider_ref = $1', [call.callSid])).rows[0];
  assert.deepEqual((await verifyChains(h.t.db, { interactionId: ix.id })).broken, []);
});

test('a new card through <Pay>: tokenized by the connector, charged once by the gateway', async () => {
  const m = await holder('+12025550202', 'HM-500002', null);
  const before = chargesAtStripe();
  const call = await h.sim.placeCall({
    from: '+12025550202',
    to: '+18005550100',
    input: createScriptedInput([{ digits: '1' }, { pay: { result: 'success', paymentToken: 'pm_card_mastercard', cardNumber: '5555555555554444', cardType: 'mastercard' } }, 'hangup'], { whenExhausted: 'hangup', pauseMsPerSecond: 250 }),
  });
  assert.deepEqual(call.errors, []);
  assert.match(call.said.join(' '), /was received/);
  assert.equal(chargesAtStripe() - before, 1);
  assert.equal((await h.t.db.query('select status from premium_dues where id = $1', [m.dueId])).rows[0].status, 'paid');
});

test('a card token Stripe refuses: the caller is told at once and offered another card; nothing charged, the job not retried', async () => {
  const m = await holder('+12025550205', 'HM-500005', null);
  const before = chargesAtStripe();
  const started = Date.now();
  const call = await h.sim.placeCall({
    from: '+12025550205',
    to: '+18005550100',
    input: createScriptedInput([{ digits: '1' }, { pay: { paymentToken: 'pm_does_not_exist' } }, 'hangup'], { whenExhausted: 'hangup', pauseMsPerSecond: 250 }),
  });
  assert.deepEqual(call.errors, []);
  const heard = call.said.join(' ');
  assert.match(heard, /did not go through\. The card details were not accepted\. Please check them or use a different card\. To try a different card, press 2/);
  assert.doesNotMatch(heard, /taking longer/);
  assert.ok(Date.now() - started < 20_000, 'told within the first polls, not after the job\'s retries');
  assert.equal(chargesAtStripe() - before, 0);
  assert.equal((await h.t.db.query('select status from premium_dues where id = $1', [m.dueId])).rows[0].status, 'open');
  const job = (await h.t.db.query(`select completed_at, result from outbox o join interactions i on i.id = o.interaction_id
                                    where i.provider_ref = $1 and o.topic = 'payments.charge-due'`, [call.callSid])).rows[0];
  assert.ok(job.completed_at, 'completed with its outcome, not left to retry');
  assert.deepEqual([job.result.outcome, job.result.declineClass, job.result.error], ['failed', 'new-details', 'PAY_PROVIDER_REJECTED']);
});

test('a declined card is explained; the due stays payable and the reason is kept in words', async () => {
  const m = await holder('+12025550203', 'HM-500003', 'pm_card_chargeDeclinedInsufficientFunds');
  const call = await h.sim.placeCall({
    from: '+12025550203',
    to: '+18005550100',
    input: createScriptedInput([{ digits: '1' }, { digits: '1' }, 'hangup'], { whenExhausted: 'hangup', pauseMsPerSecond: 250 }),
  });
  assert.match(call.said.join(' '), /did not go through\. The bank could not approve the payment right now/);
  // The due stays payable (the caller may try another card); the attempt keeps the reason for the retention team.
  assert.equal((await h.t.db.query('select status from premium_dues where id = $1', [m.dueId])).rows[0].status, 'open');
  const attempt = (await h.t.db.query('select status, decline_class, failure_reason from payment_attempts where due_id = $1', [m.dueId])).rows[0];
  assert.equal(attempt.status, 'failed');
  assert.equal(attempt.decline_class, 'retry-later');
  assert.match(attempt.failure_reason, /insufficient funds|enough/i);
});

test('two calls paying the same due at once: exactly one charge, both callers told it is paid', async () => {
  const m = await holder('+12025550204', 'HM-500004', 'pm_card_visa');
  const before = chargesAtStripe();
  const script = () => createScriptedInput([{ digits: '1' }, { digits: '1' }, 'hangup'], { whenExhausted: 'hangup', pauseMsPerSecond: 250 });
  const [a, b] = await Promise.all([
    h.sim.placeCall({ from: '+12025550204', to: '+18005550100', input: script() }),
    h.sim.placeCall({ from: '+12025550204', to: '+18005550100', input: script() }),
  ]);
  assert.equal(chargesAtStripe() - before, 1);
  for (const c of [a, b]) assert.match(c.said.join(' '), /was received/);
  const attempts = (await h.t.db.query(`select count(*)::int as n from payment_attempts where due_id = $1 and status = 'succeeded'`, [m.dueId])).rows[0];
  assert.equal(attempts.n, 1);
});
