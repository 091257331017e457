import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chargeDue } from '../../src/payments/charge-due.js';
import { createManualClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { createScriptedInput, type ScriptStep } from '../../src/telephony/simulator/index.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedDue, seedPolicyholder, seedSmsConsent } from '../support/seed.js';

/**
 * Cancellation retention end to end: the caller presses 3 in the IVR, the call
 * is handed over to the retention call, and every reason, offer and way out is
 * followed through the carrier simulator to what changed in the database and
 * the text that confirmed it. Thursday 3 December 2026, 10:00 in New York.
 */
const clock = createManualClock('2026-12-03T15:00:00Z');
let h: GatewayHarness;
let n = 0;
before(async () => {
  h = await startGatewayHarness({ clock });
});
after(async () => h.close());

type Holder = { policyholderId: string; policyId: string; policyNumber: string; phone: string; dueId: string };

/**
 * An auto policy at the standard tier ($124.50 a month) with its next due on
 * 15 December, bought in 2024 (outside the free-look period) unless `inception` says otherwise.
 */
const holder = async (o: { locale?: string; product?: string; tier?: string; sumInsuredCents?: number; inception?: string | null; dueDate?: string } = {}): Promise<Holder> => {
  n += 1;
  const phone = `+1202555${String(8100 + n)}`;
  const p = await seedPolicyholder(h.t.db, { firstName: 'Robin', phone, policyNumber: `HM-R-${600000 + n}`, locale: o.locale ?? 'en-US' });
  const dueDate = o.dueDate ?? '2026-12-15';
  await h.t.db.query(
    `update policies set product = $2, coverage_tier = $3, sum_insured_cents = $4, next_due_date = $5, paid_to_date = $5, inception_date = $6 where id = $1`,
    [p.policyId, o.product ?? 'auto', o.tier ?? 'standard', o.sumInsuredCents ?? 2_500_000, dueDate, o.inception === undefined ? '2024-06-15' : o.inception],
  );
  const dueId = await seedDue(h.t.db, p.policyId, 12_450, dueDate);
  await seedSmsConsent(h.t.db, phone);
  return { ...p, dueId };
};

const call = (from: string, steps: ScriptStep[]) =>
  h.sim.placeCall({ from, to: '+18005550100', input: createScriptedInput(steps, { whenExhausted: 'hangup', pauseMsPerSecond: 100 }) });
const heard = (c: { said: string[] }) => c.said.join(' ');
const nextTextTo = (to: string) => h.carrier.messages.next({ to }, 10_000);
const eventually = async <T>(read: () => Promise<T | null | undefined>, ms = 8_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if ((v !== null && v !== undefined) || Date.now() > until) return v as T;
    await new Promise((r) => setTimeout(r, 50));
  }
};
const policy = async (id: string) =>
  (await h.t.db.query('select coverage_tier, sum_insured_cents::int as sum, premium_cents::int as premium, next_due_date::text as next_due, status, complaint_opened_at from policies where id = $1', [id])).rows[0];
const dues = async (policyId: string) =>
  (await h.t.db.query('select due_date::text as date, amount_cents::int as amount, status from premium_dues where policy_id = $1 order by due_date', [policyId])).rows;
/** The case once decided (and, for a cancellation, once its refund is recorded). */
const retentionCase = (policyId: string) =>
  eventually(async () => (await h.t.db.query(
    `select status, reason, outcome, offers_declined, cancel_effective_date::text as effective, refund_cents::int as refund
       from cancellation_requests where policy_id = $1 and outcome is not null and (outcome <> 'cancelled' or refund_cents is not null)`, [policyId])).rows[0]);
/** Pays the policy's open due with a card, as the IVR would, so a cancellation has something to refund. */
const paid = async (h0: Holder) => {
  const r = await chargeDue({ dueId: h0.dueId, channel: 'ivr', paymentMethodId: 'pm_card_visa' }, h.payments.deps);
  assert.equal(r.outcome, 'succeeded');
};

describe('reasons and offers', () => {
  test('too expensive: a downgrade quoted from the policy, accepted: tier, premium and future dues re-priced, confirmed by text', async () => {
    const m = await holder();
    const text = nextTextTo(m.phone);
    const c = await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '1' }]);
    assert.deepEqual(c.errors, []);
    assert.match(heard(c), /Please tell us why\. If it costs too much, press 1/);
    // standard -> basic: 12450 * 8000 / 10000 = 9960, from the next due on or after today
    assert.match(heard(c), /We can move you to our basic cover\. Your premium would be \$99\.60 instead of \$124\.50, starting with your payment due December 15\./);
    assert.match(heard(c), /Done\. Your new premium of \$99\.60 starts with your payment due December 15\. .*Goodbye\./);
    assert.match((await text).body, new RegExp(`policy ${m.policyNumber} now has basic cover\\. Your new premium of \\$99\\.60 starts with your payment due Dec 15, 2026`));
    const row = await retentionCase(m.policyId);
    assert.deepEqual({ status: row.status, reason: row.reason, outcome: row.outcome }, { status: 'retained', reason: 'too-expensive', outcome: 'downgraded' });
    const p = await policy(m.policyId);
    assert.deepEqual([p.coverage_tier, p.premium], ['basic', 9_960]);
    assert.deepEqual(await dues(m.policyId), [{ date: '2026-12-15', amount: 9_960, status: 'open' }]);
  });

  test('found cheaper: the downgrade declined, a new payment date accepted: the due moves to the 28th, confirmed by text', async () => {
    const m = await holder();
    const text = nextTextTo(m.phone);
    const c = await call(m.phone, [{ digits: '3' }, { digits: '2' }, { digits: '2' }, { digits: '1' }, { digits: '28#' }, { digits: '1' }]);
    assert.deepEqual(c.errors, []);
    assert.match(heard(c), /We can move your payment date to a day that suits you better/);
    assert.match(heard(c), /due on day 28 of the month, with your next payment of \$124\.50 due on December 28/);
    assert.match(heard(c), /Done\. Your next payment of \$124\.50 is now due on December 28\./);
    assert.match((await text).body, /your payment of \$124\.50 for policy HM-R-\d+ is now due on Dec 28, 2026/);
    assert.deepEqual(await dues(m.policyId), [{ date: '2026-12-28', amount: 12_450, status: 'open' }]);
    assert.equal((await policy(m.policyId)).next_due, '2026-12-28');
    const row = await retentionCase(m.policyId);
    assert.deepEqual([row.outcome, row.offers_declined], ['date-moved', ['downgrade-tier']]);
  });

  test('a payment day out of range is asked again; the date offer can still be declined', async () => {
    const m = await holder();
    const c = await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '2' }, { digits: '1' }, { digits: '31#' }, { digits: '10#' }, { digits: '2' }, { digits: '2' }]);
    assert.match(heard(c), /Sorry, please enter a day from 1 to 28\./);
    assert.match(heard(c), /If you cancel now, your cover ends today, December 3/);
    assert.match(heard(c), /Your policy stays as it is\./);
    assert.equal((await retentionCase(m.policyId)).outcome, 'kept');
    assert.deepEqual(await dues(m.policyId), [{ date: '2026-12-15', amount: 12_450, status: 'open' }]);
  });

  test('too expensive after a declined payment: skip one instalment, paid with the next', async () => {
    const m = await holder();
    await h.t.db.query(
      `insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, status, amount_cents, created_at, updated_at)
       values ($1, $2, 1, 'retry', $3, 'failed', 12450, '2026-11-20', '2026-11-20')`, [newId(), m.dueId, `k-${newId()}`]);
    const text = nextTextTo(m.phone);
    const c = await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '2' }, { digits: '1' }]);
    assert.match(heard(c), /We can skip your payment of \$124\.50 due on December 15\. Your cover continues, and on January 15 you would pay \$249\.00/);
    assert.match((await text).body, /nothing will be taken for policy HM-R-\d+ on Dec 15, 2026\. On Jan 15, 2027 you will pay \$249\.00/);
    assert.deepEqual(await dues(m.policyId), [{ date: '2027-01-15', amount: 24_900, status: 'open' }]);
    assert.equal((await retentionCase(m.policyId)).outcome, 'instalment-skipped');
  });

  test('no longer needed (life): the cover explained, then kept', async () => {
    const m = await holder({ product: 'term-life', tier: 'gold', sumInsuredCents: 25_000_000 });
    const text = nextTextTo(m.phone);
    const c = await call(m.phone, [{ digits: '3' }, { digits: '3' }, { digits: '1' }]);
    assert.match(heard(c), /Your life policy pays your family a lump sum/);
    assert.match(heard(c), /Knowing this, to keep your policy, press 1/);
    assert.match((await text).body, /thank you for staying with us\. Policy HM-R-\d+ continues as it is/);
    assert.equal((await retentionCase(m.policyId)).outcome, 'kept');
  });

  test('family objects: cover explained, then a lower sum insured for a life policy is quoted and accepted', async () => {
    const m = await holder({ product: 'term-life', tier: 'gold', sumInsuredCents: 25_000_000 });
    const c = await call(m.phone, [{ digits: '3' }, { digits: '3' }, { digits: '2' }, { digits: '1' }]);
    // 250,000 * 75% = 187,500; 12450 * 0.75 = 9337.5 -> 9338 (half up)
    assert.match(heard(c), /We can lower your cover amount to \$187,500\.00\. Your premium would be \$93\.38 instead of \$124\.50/);
    await retentionCase(m.policyId);
    const p = await policy(m.policyId);
    assert.deepEqual([p.sum, p.premium, p.coverage_tier], [18_750_000, 9_338, 'gold']);
  });

  test('other: the cover explained, declined, then asked whether to cancel and kept', async () => {
    const m = await holder();
    const c = await call(m.phone, [{ digits: '3' }, { digits: '6' }, { digits: '2' }, { digits: '2' }]);
    assert.match(heard(c), /Your auto policy pays for damage/);
    assert.match(heard(c), /If you cancel now, your cover ends today, December 3\. No refund is due\./);
    const row = await retentionCase(m.policyId);
    assert.deepEqual([row.outcome, row.offers_declined], ['kept', ['explain-cover']]);
  });

  test('a Spanish caller hears the reasons and offers in Spanish', async () => {
    const m = await holder({ locale: 'es-US' });
    const c = await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '9' }, 'hangup']);
    assert.match(heard(c), /Díganos por qué\. Si le cuesta demasiado, oprima 1/);
    assert.match(heard(c), /Podemos cambiarlo a nuestra cobertura basic\. Su prima sería de \$99\.60 en lugar de \$124\.50/);
  });
});

describe('cancel now, from every step', () => {
  test('after the offer is declined: cancelled, dues voided, pro-rata refund issued and texted', async () => {
    const m = await holder({ dueDate: '2026-12-01' });
    await paid(m); // covers 1 Dec - 1 Jan (31 days); cancelled on 3 Dec: 29 unused days
    const text = nextTextTo(m.phone);
    // Nothing is owed any more, so the new payment date is passed over: one offer, then the question.
    const c = await call(m.phone, [{ digits: '3' }, { digits: '2' }, { digits: '2' }, { digits: '1' }]);
    // floor(12450 * 29 / 31) = 11646
    assert.match(heard(c), /If you cancel now, your cover ends today, December 3, and we will refund \$116\.46 to the card you paid with\./);
    assert.match(heard(c), /is cancelled from December 3\. We will refund \$116\.46/);
    assert.match((await text).body, /policy HM-R-\d+ is cancelled from Dec 3, 2026\. We are refunding \$116\.46/);
    const row = await retentionCase(m.policyId);
    assert.deepEqual({ ...row }, { status: 'cancelled', reason: 'found-cheaper', outcome: 'cancelled', offers_declined: ['downgrade-tier'], effective: '2026-12-03', refund: 11_646 });
    assert.equal((await policy(m.policyId)).status, 'cancelled');
    assert.ok((await dues(m.policyId)).every((d: { status: string }) => d.status !== 'open'));
    const refunds = (await h.t.db.query(`select r.kind, r.amount_cents::int as amount, r.status from refunds r join payment_attempts a on a.id = r.attempt_id join premium_dues d on d.id = a.due_id where d.policy_id = $1`, [m.policyId])).rows;
    assert.deepEqual(refunds, [{ kind: 'pro-rata', amount: 11_646, status: 'succeeded' }]);
  });

  test('7 at the first question cancels at once; within the free-look period the whole payment comes back', async () => {
    const m = await holder({ dueDate: '2026-12-01', inception: '2026-11-20' });
    await paid(m);
    const c = await call(m.phone, [{ digits: '3' }, { digits: '7' }]);
    assert.match(heard(c), /To cancel now without hearing any offer, press 7/);
    assert.match(heard(c), /is cancelled from December 3\. We will refund \$124\.50/);
    const row = await retentionCase(m.policyId);
    assert.deepEqual([row.outcome, row.refund, row.reason], ['cancelled', 12_450, null]);
  });

  test('7 while an offer is being made, and star at the payment day, cancel too', async () => {
    const a = await holder();
    const c1 = await call(a.phone, [{ digits: '3' }, { digits: '1' }, { digits: '7' }]);
    assert.match(heard(c1), /To cancel now, press 7\./);
    assert.match(heard(c1), /is cancelled from December 3\. No refund is due\./);
    assert.equal((await retentionCase(a.policyId)).outcome, 'cancelled');
    const b = await holder();
    const c2 = await call(b.phone, [{ digits: '3' }, { digits: '1' }, { digits: '2' }, { digits: '1' }, { digits: '*' }]);
    assert.match(heard(c2), /To cancel now instead, press star\./);
    assert.equal((await retentionCase(b.policyId)).outcome, 'cancelled');
  });
});

// No specialist is on duty in this file's gateway: every way to a person ends in a callback offer
// (test/e2e/warm-transfer.test.ts rings specialists through the simulated carrier's conferences).
describe('mis-selling and people, with no specialist on duty', () => {
  test('mis-sold: no offer, a complaint on the policy, priority words, and a callback booked and confirmed by text', async () => {
    const m = await holder();
    const text = nextTextTo(m.phone);
    const c = await call(m.phone, [{ digits: '3' }, { digits: '5' }, { digits: '1' }]);
    assert.deepEqual(c.errors, []);
    assert.doesNotMatch(heard(c), /We can /);
    assert.match(heard(c), /your complaint is recorded, and a specialist will help you first/);
    assert.match(heard(c), /To have a specialist call you back, press 1\..*A specialist will call you back at this number\./);
    const p = await eventually(async () => ((await policy(m.policyId)).complaint_opened_at ? policy(m.policyId) : null));
    assert.ok(p.complaint_opened_at, 'complaint flag on the policy');
    const booked = await eventually(async () => (await h.t.db.query('select reason from callback_requests where phone_e164 = $1', [m.phone])).rows[0]);
    assert.equal(booked.reason, 'mis-selling');
    assert.match((await text).body, /your callback is booked/);
  });

  test('0 at an offer offers a callback, and cancel now is still one key away', async () => {
    const m = await holder();
    const c = await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '0' }, { digits: '7' }]);
    assert.match(heard(c), /Our specialists are not available right now\..*To cancel now instead, press 7\./);
    assert.match(heard(c), /is cancelled from December 3/);
    assert.equal((await retentionCase(m.policyId)).outcome, 'cancelled');
  });

  test('silence three times at the reason question reaches the callback offer, then an explicit goodbye, never dead air', async () => {
    const m = await holder();
    const c = await call(m.phone, [{ digits: '3' }, { silence: true }, { silence: true }, { silence: true }, { silence: true }, { silence: true }, { silence: true }]);
    assert.deepEqual(c.errors, []);
    assert.equal((heard(c).match(/Sorry, I did not hear anything/g) ?? []).length, 4);
    assert.match(heard(c), /To have a specialist call you back, press 1/);
    assert.match(heard(c), /Thank you for calling Harbor Mutual\. Goodbye\.$/);
  });
});
