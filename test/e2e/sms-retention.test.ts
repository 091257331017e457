import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chargeDue } from '../../src/payments/charge-due.js';
import { createManualClock } from '../../src/shared/clock.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedDue, seedPolicyholder, seedSmsConsent, seedSpecialist } from '../support/seed.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A cancellation talked through by text (the conversation's version 4), through the simulated
 * carrier with real Postgres, Redis, twilio and stripe SDKs: CANCEL POLICY asks why, the reason brings
 * the offers the rules choose (priced from the policy), YES applies one, NO moves on, CANCEL NOW
 * cancels from any step; each decision's own text confirms it. Thursday 3 December 2026, 10:00 in New York.
 */
const clock = createManualClock('2026-12-03T15:00:00Z');
const OURS = '+18005550100';
let h: GatewayHarness;
let n = 0;
before(async () => { h = await startGatewayHarness({ clock }); });
after(async () => h.close());

type Holder = { policyholderId: string; policyId: string; policyNumber: string; phone: string; dueId: string };

/** An auto policy at the standard tier ($124.50 a month), next due 15 December, bought in 2024 (outside free look). */
const holder = async (o: { locale?: string; product?: string; dueDate?: string } = {}): Promise<Holder> => {
  n += 1;
  const phone = `+1202555${String(8800 + n)}`;
  const p = await seedPolicyholder(h.t.db, { firstName: 'Sam', phone, policyNumber: `HM-T-${620000 + n}`, locale: o.locale ?? 'en-US' });
  await h.t.db.query(
    `update policies set product = $2, coverage_tier = 'standard', sum_insured_cents = 2500000, next_due_date = $3, paid_to_date = $3, inception_date = '2024-06-15' where id = $1`,
    [p.policyId, o.product ?? 'auto', o.dueDate ?? '2026-12-15'],
  );
  const dueId = await seedDue(h.t.db, p.policyId, 12_450, o.dueDate ?? '2026-12-15');
  await seedSmsConsent(h.t.db, phone);
  return { ...p, dueId };
};

/** Texts the gateway and returns its reply ('' for none). */
const text = async (from: string, body: string): Promise<string> => {
  const r = await h.sim.sendSms({ from, to: OURS, body });
  assert.equal(r.error, undefined, `the gateway answered ${body} with ${r.error}`);
  assert.equal(r.exchange.status, 200);
  return r.replies.map((m) => m.body).join('\n');
};
const nextTextTo = (to: string) => h.carrier.messages.next({ to }, 10_000);
const policy = async (id: string) =>
  (await h.t.db.query('select coverage_tier, premium_cents::int as premium, next_due_date::text as next_due, status, complaint_opened_at from policies where id = $1', [id])).rows[0];
const dues = async (policyId: string) =>
  (await h.t.db.query('select due_date::text as date, amount_cents::int as amount, status from premium_dues where policy_id = $1 order by due_date', [policyId])).rows;
/** The case once decided (a cancellation once its refund is recorded). */
const retentionCase = (policyId: string) =>
  waitFor(async () => (await h.t.db.query(
    `select channel, status, reason, outcome, offers_declined, cancel_effective_date::text as effective, refund_cents::int as refund
       from cancellation_requests where policy_id = $1 and outcome is not null and (outcome <> 'cancelled' or refund_cents is not null)`, [policyId])).rows[0]);

describe('cancellation by text', () => {
  test('too expensive: a downgrade quoted from the policy; YES applies it, re-prices the dues and confirms by text', async () => {
    const m = await holder();
    const ask = await text(m.phone, 'Cancel policy');
    assert.match(ask, new RegExp(`want to cancel policy ${m.policyNumber}\\. Why\\? Reply 1 too expensive.*Or reply CANCEL NOW\\.`));
    // standard -> basic: 12450 * 8000 / 10000 = 9960 from the next due.
    assert.match(await text(m.phone, '1'), new RegExp(`with basic cover, policy ${m.policyNumber} would cost \\$99\\.60 instead of \\$124\\.50, from your payment due Dec 15\\. Reply YES to switch`));
    const confirmation = nextTextTo(m.phone);
    assert.equal(await text(m.phone, 'yes'), '', 'the job\'s own text answers');
    assert.match((await confirmation).body, new RegExp(`policy ${m.policyNumber} now has basic cover\\. Your new premium of \\$99\\.60 starts with your payment due Dec 15`));
    assert.deepEqual(await policy(m.policyId), { coverage_tier: 'basic', premium: 9_960, next_due: '2026-12-15', status: 'active', complaint_opened_at: null });
    assert.deepEqual(await dues(m.policyId), [{ date: '2026-12-15', amount: 9_960, status: 'open' }]);
    const c = await retentionCase(m.policyId);
    assert.deepEqual({ channel: c.channel, reason: c.reason, outcome: c.outcome, declined: c.offers_declined }, { channel: 'sms', reason: 'too-expensive', outcome: 'downgraded', declined: [] });
    // A later YES is the carrier's opt-in again, not a second change.
    assert.doesNotMatch(await text(m.phone, 'YES'), /basic cover/);
  });

  test('declining the offer, then CANCEL NOW: cancelled today with the pro-rata refund, confirmed by text', async () => {
    const m = await holder({ dueDate: '2026-12-01' });
    // Paid: covers 1 Dec - 1 Jan (31 days); cancelled on 3 Dec, 29 days unused.
    const r = await chargeDue({ dueId: m.dueId, channel: 'ivr', paymentMethodId: 'pm_card_visa' }, h.payments.deps);
    assert.equal(r.outcome, 'succeeded');
    await text(m.phone, 'cancel my policy');
    assert.match(await text(m.phone, '2'), /with basic cover/);
    // The "price" rule's others do not apply: no lower sum insured for auto, no open due to move once paid.
    assert.match(await text(m.phone, 'No thanks'), new RegExp(`reply CANCEL NOW to cancel policy ${m.policyNumber} today`));
    const confirmation = nextTextTo(m.phone);
    assert.equal(await text(m.phone, 'cancel now'), '');
    // floor(12450 * 29 / 31) = 11646, as the call quotes it.
    assert.match((await confirmation).body, new RegExp(`policy ${m.policyNumber} is cancelled from Dec 3, 2026\\. We are refunding \\$116\\.46`));
    const c = await retentionCase(m.policyId);
    assert.equal(c.outcome, 'cancelled');
    assert.equal(c.reason, 'found-cheaper');
    assert.equal(c.effective, '2026-12-03');
    assert.deepEqual(c.offers_declined, ['downgrade-tier']);
    assert.equal(c.refund, 11_646);
    assert.equal((await policy(m.policyId)).status, 'cancelled');
  });

  test('a payment day moves the due; a day that is not one is asked again', async () => {
    const m = await holder();
    await text(m.phone, 'cancel policy');
    await text(m.phone, '1');
    assert.match(await text(m.phone, 'no'), /Reply with the day of the month \(1-28\)/);
    assert.match(await text(m.phone, '31'), /please reply with a day of the month from 1 to 28/);
    const confirmation = nextTextTo(m.phone);
    assert.equal(await text(m.phone, '28'), '');
    assert.match((await confirmation).body, /your payment of \$124\.50 for policy .* is now due on Dec 28/);
    assert.deepEqual(await dues(m.policyId), [{ date: '2026-12-28', amount: 12_450, status: 'open' }]);
    assert.equal((await retentionCase(m.policyId)).outcome, 'date-moved');
  });

  test('CANCEL NOW at the first question, and with no talk under way', async () => {
    const m = await holder();
    await text(m.phone, 'Cancel policy');
    const first = nextTextTo(m.phone);
    assert.equal(await text(m.phone, 'CANCEL NOW'), '');
    assert.match((await first).body, /is cancelled from Dec 3, 2026/);
    assert.equal((await retentionCase(m.policyId)).outcome, 'cancelled');

    const other = await holder();
    const second = nextTextTo(other.phone);
    assert.equal(await text(other.phone, 'cancel now'), '');
    assert.match((await second).body, new RegExp(`policy ${other.policyNumber} is cancelled from Dec 3, 2026`));
    const c = await retentionCase(other.policyId);
    assert.deepEqual({ channel: c.channel, outcome: c.outcome }, { channel: 'sms', outcome: 'cancelled' });
  });

  test('no longer needed: the cover explained; KEEP keeps the policy as it is', async () => {
    const m = await holder();
    await text(m.phone, 'cancel policy');
    assert.match(await text(m.phone, '3'), /before you decide: Your auto policy pays for damage you cause.*Reply KEEP to keep policy/);
    const kept = nextTextTo(m.phone);
    assert.equal(await text(m.phone, 'keep'), '');
    assert.match((await kept).body, new RegExp(`Policy ${m.policyNumber} continues as it is`));
    assert.equal((await policy(m.policyId)).coverage_tier, 'standard');
    assert.equal((await retentionCase(m.policyId)).outcome, 'kept');
  });

  test('mis-sold: no offers; the policy carries a complaint and a priority callback is booked', async () => {
    await seedSpecialist(h.t.db, { name: 'Pat Text', phone: '+15550100301', alwaysOn: true });
    const m = await holder();
    await text(m.phone, 'cancel policy');
    const booked = nextTextTo(m.phone);
    assert.match(await text(m.phone, '5'), /Your complaint about policy .* is recorded, and a specialist will call you first/);
    assert.match((await booked).body, /your callback is booked\. A specialist will call you at this number on Thu, Dec 3/);
    await waitFor(async () => ((await policy(m.policyId)).complaint_opened_at ? true : null));
    const cb = (await h.t.db.query('select reason, policy_id from callback_requests where phone_e164 = $1', [m.phone])).rows[0];
    assert.deepEqual(cb, { reason: 'mis-selling', policy_id: m.policyId });
  });

  test('in Spanish: CANCELAR PÓLIZA, the reason, SÍ to the downgrade', async () => {
    const m = await holder({ locale: 'es-US' });
    assert.match(await text(m.phone, 'Cancelar póliza'), /lamentamos que quiera cancelar la póliza .* ¿Por qué\? Responda 1 muy caro/);
    assert.match(await text(m.phone, '1'), /con la cobertura basic, la póliza .* costaría \$99\.60 en lugar de \$124\.50/);
    const confirmation = nextTextTo(m.phone);
    assert.equal(await text(m.phone, 'Sí'), '');
    assert.match((await confirmation).body, /\$99\.60/);
    assert.equal((await policy(m.policyId)).coverage_tier, 'basic');
  });

  test('an answer we cannot read gets the question again; BAL still answers mid-way; a day later the talk has lapsed', async () => {
    const m = await holder();
    await text(m.phone, 'cancel policy');
    assert.match(await text(m.phone, 'hmm'), /Why\? Reply 1 too expensive/);
    assert.match(await text(m.phone, 'BAL'), /\$124\.50 due Dec 15/);
    assert.match(await text(m.phone, '9'), /Why\? Reply 1 too expensive/);
    clock.advance(25 * 3_600_000);
    try {
      // Two answers in a row not understood (the lapsed talk's "1" is the second): the offer of a person, no policy action.
      assert.match(await text(m.phone, '1'), /sorry we could not help by text/);
    } finally {
      clock.set('2026-12-03T15:00:00Z');
    }
    assert.equal((await policy(m.policyId)).status, 'active');
  });
});
