import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createScriptedInput } from '../../src/telephony/simulator/index.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedDue, seedPolicyholder, seedSmsConsent } from '../support/seed.js';

let h: GatewayHarness;
before(async () => {
  h = await startGatewayHarness();
});
after(async () => h.close());

const holderWithoutCard = async (phone: string, policyNumber: string) => {
  const p = await seedPolicyholder(h.t.db, { firstName: 'Maria', phone, policyNumber });
  const dueId = await seedDue(h.t.db, p.policyId, 12_450);
  await seedSmsConsent(h.t.db, phone);
  return { ...p, dueId };
};

const payWithCard = (from: string, cardNumber: string) =>
  h.sim.placeCall({
    from,
    to: '+18005550100',
    input: createScriptedInput([{ digits: '1' }, { pay: { cardNumber } }, 'hangup'], { whenExhausted: 'hangup', pauseMsPerSecond: 250 }),
  });

test('a caller keys Stripe\'s insufficient-funds test card at <Pay>: the decline travels the real path, the due stays open, the decline is evidence', async () => {
  const m = await holderWithoutCard('+12025550301', 'HM-600001');
  const call = await payWithCard('+12025550301', '4000000000009995');
  assert.deepEqual(call.errors, []);
  const heard = call.said.join(' ');
  assert.match(heard, /did not go through\. The bank could not approve the payment right now/);
  assert.doesNotMatch(heard, /was received/);
  assert.equal((await h.t.db.query('select status from premium_dues where id = $1', [m.dueId])).rows[0].status, 'open');
  const attempt = (await h.t.db.query('select status, decline_code, decline_class, card_last4 from payment_attempts where due_id = $1', [m.dueId])).rows[0];
  assert.deepEqual({ ...attempt }, { status: 'failed', decline_code: 'insufficient_funds', decline_class: 'retry-later', card_last4: '9995' });
  const failed = (await h.t.db.query(
    `select e.payload from evidence_events e join interactions i on i.id = e.interaction_id
      where i.provider_ref = $1 and e.type = 'payment.failed'`, [`due:${m.dueId}`])).rows;
  assert.equal(failed.length, 1);
  assert.equal(failed[0].payload.declineCode, 'insufficient_funds');
  assert.equal(failed[0].payload.adviceCode, 'try_again_later');
  // The card number never reached the gateway: only the token, brand and last four.
  const stored = (await h.t.db.query(`select count(*)::int as n from evidence_events where payload::text like '%4000000000009995%'`)).rows[0];
  assert.equal(stored.n, 0);
});

test('Stripe\'s lost-card and expired-card test numbers are declined with their own codes; 4242 pays', async () => {
  const lost = await holderWithoutCard('+12025550302', 'HM-600002');
  assert.match((await payWithCard('+12025550302', '4000000000009987')).said.join(' '), /did not go through/);
  const expired = await holderWithoutCard('+12025550303', 'HM-600003');
  assert.match((await payWithCard('+12025550303', '4000000000000069')).said.join(' '), /did not go through/);
  const ok = await holderWithoutCard('+12025550304', 'HM-600004');
  assert.match((await payWithCard('+12025550304', '4242424242424242')).said.join(' '), /was received/);
  const codes = async (dueId: string) =>
    (await h.t.db.query('select status, decline_code from payment_attempts where due_id = $1', [dueId])).rows.map((r) => `${r.status}:${r.decline_code}`);
  assert.deepEqual(await codes(lost.dueId), ['failed:lost_card']);
  assert.deepEqual(await codes(expired.dueId), ['failed:expired_card']);
  assert.deepEqual(await codes(ok.dueId), ['succeeded:null']);
});
