import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chargeDue } from '../../src/payments/charge-due.js';
import { HANDLED_STRIPE_EVENTS } from '../../src/payments/handle-stripe-event.js';
import { AppError } from '../../src/shared/app-error.js';
import { newId } from '../../src/shared/ids.js';
import { dueState, evidenceTypes, startHarness, type Harness } from './payments-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

test('a successful charge pays the due, moves paid-to one period on, reactivates a policy in grace, with evidence and no card data', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa', policyStatus: 'grace' });
  const before = h.fake.counters.chargesSucceeded;
  const r = await chargeDue({ dueId, channel: 'ivr' }, h.payments.deps);
  assert.equal(r.outcome, 'succeeded');
  assert.equal(h.fake.counters.chargesSucceeded, before + 1);
  const s = await dueState(h.t, dueId);
  assert.deepEqual([s.status, s.paid_to_date, s.next_due_date, s.policy_status], ['paid', '2027-01-01', '2027-01-01', 'active']);
  assert.equal(s.attempts.length, 1);
  assert.equal(s.attempts[0].status, 'succeeded');
  assert.match(s.attempts[0].idempotency_key, new RegExp(`^pay:[0-9a-f-]{36}:${dueId}:1$`));
  await h.fake.idle();
  const types = await evidenceTypes(h.t, dueId);
  for (const t of ['payment.attempted', 'payment.succeeded', 'due.paid']) assert.ok(types.includes(t), `${t} in ${types.join(',')}`);
  // Like a Stripe endpoint subscribed to the handled types: the charge made four events, one of them is delivered.
  const madeTypes = h.fake.events.filter((e) => JSON.stringify(e.data.object).includes(dueId)).map((e) => e.type);
  assert.ok(madeTypes.includes('charge.succeeded') && madeTypes.includes('payment_intent.created'), madeTypes.join(','));
  const delivered = new Set(h.fake.deliveries.map((d) => d.type));
  assert.deepEqual([...delivered].filter((t) => !(HANDLED_STRIPE_EVENTS as readonly string[]).includes(t)), []);
  assert.ok(delivered.has('payment_intent.succeeded'));
  const all = JSON.stringify((await h.t.db.query('select payload from evidence_events')).rows);
  assert.doesNotMatch(all, /4242424242424242|exp_month|exp_year|cvc/);
  const again = await chargeDue({ dueId, channel: 'ivr' }, h.payments.deps);
  assert.equal(again.outcome, 'already-paid');
  assert.equal(h.fake.counters.chargesSucceeded, before + 1, 'charging a paid due never reaches Stripe');
});

const declineCases = [
  { card: 'pm_card_chargeDeclinedStolenCard', cls: 'never-retry', words: /reported stolen/ },
  { card: 'pm_card_chargeDeclinedLostCard', cls: 'never-retry', words: /reported lost/ },
  { card: 'pm_card_chargeDeclinedExpiredCard', cls: 'new-details', words: /card details need checking|expired/ },
  { card: 'pm_card_chargeDeclinedIncorrectCvc', cls: 'new-details', words: /confirm or update their card|security code/ },
  { card: 'pm_card_chargeDeclinedInsufficientFunds', cls: 'retry-later', words: /later retry|payday/ },
  { card: 'pm_card_chargeDeclinedProcessingError', cls: 'retry-later', words: /technical error/i },
] as const;

for (const c of declineCases) {
  test(`a ${c.card.replace('pm_card_chargeDeclined', '')} decline is ${c.cls}, explained in words, and starts recovery`, async () => {
    const { dueId } = await h.seedDue({ card: c.card });
    const r = await chargeDue({ dueId, channel: 'retry' }, h.payments.deps);
    assert.equal(r.outcome, 'failed');
    assert.ok(r.outcome === 'failed' && r.declineClass === c.cls);
    const s = await dueState(h.t, dueId);
    assert.equal(s.status, 'open', 'the recovery handler, not the charge, marks the due failed');
    assert.equal(s.attempts[0].status, 'failed');
    assert.equal(s.attempts[0].decline_class, c.cls);
    assert.match(s.attempts[0].failure_reason, c.words);
    const rec = await h.t.db.query(`select payload, correlation from outbox where topic = 'recovery.start' and payload->>'dueId' = $1`, [dueId]);
    assert.equal(rec.rows.length, 1);
    assert.deepEqual([rec.rows[0].payload.declineClass, rec.rows[0].correlation], [c.cls, `due:${dueId}`]);
  });
}

test('after a never-retry decline the same card is not charged again; after retry-later it is', async () => {
  const hard = await h.seedDue({ card: 'pm_card_chargeDeclinedStolenCard' });
  await chargeDue({ dueId: hard.dueId, channel: 'retry' }, h.payments.deps);
  const created = h.fake.counters.chargesCreated;
  const r = await chargeDue({ dueId: hard.dueId, channel: 'retry' }, h.payments.deps);
  assert.equal(r.outcome, 'blocked');
  assert.equal(h.fake.counters.chargesCreated, created, 'no request reached Stripe');
  assert.ok((await evidenceTypes(h.t, hard.dueId)).includes('payment.blocked'));

  const soft = await h.seedDue({ card: 'pm_card_chargeDeclinedInsufficientFunds' });
  await chargeDue({ dueId: soft.dueId, channel: 'retry' }, h.payments.deps);
  const again = await chargeDue({ dueId: soft.dueId, channel: 'retry' }, h.payments.deps);
  assert.equal(again.outcome, 'failed');
  assert.equal((await dueState(h.t, soft.dueId)).attempts.length, 2, 'a second attempt with its own key');
});

test('network failure beyond the SDK retries: the attempt stays pending; the next call retries with the same key and charges once', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
  const before = h.fake.counters.chargesSucceeded;
  h.fake.failNext({ kind: 'network', when: 'after', times: 3 });
  await assert.rejects(chargeDue({ dueId, channel: 'ivr' }, h.payments.deps), (e: unknown) => e instanceof AppError && e.code === 'PAY_PROVIDER_UNAVAILABLE');
  await h.fake.idle();
  const mid = await dueState(h.t, dueId);
  // Stripe did charge before the connection dropped; its webhook may already have settled the attempt.
  assert.equal(mid.attempts.length, 1);
  const r = await chargeDue({ dueId, channel: 'ivr' }, h.payments.deps);
  assert.ok(r.outcome === 'succeeded' || r.outcome === 'already-paid');
  assert.equal(h.fake.counters.chargesSucceeded, before + 1, 'exactly one charge at Stripe');
  const s = await dueState(h.t, dueId);
  assert.deepEqual([s.status, s.attempts.length, s.attempts[0].status], ['paid', 1, 'succeeded']);
  assert.ok((await evidenceTypes(h.t, dueId)).includes('payment.uncertain'));
});

test('network failure before Stripe saw anything: the retry charges once with the same key', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
  const before = h.fake.counters.chargesSucceeded;
  h.fake.failNext({ kind: 'network', when: 'before', times: 3 });
  await assert.rejects(chargeDue({ dueId, channel: 'ivr' }, h.payments.deps));
  assert.equal(h.fake.counters.chargesSucceeded, before);
  const r = await chargeDue({ dueId, channel: 'ivr' }, h.payments.deps);
  assert.equal(r.outcome, 'succeeded');
  assert.equal(h.fake.counters.chargesSucceeded, before + 1);
  const keys = h.fake.requests.filter((q) => q.path === '/v1/payment_intents' && q.idempotencyKey?.includes(dueId));
  assert.equal(new Set(keys.map((k) => k.idempotencyKey)).size, 1, 'one idempotency key for every try');
});

test('20 concurrent identical charge requests make exactly one charge and one succeeded attempt', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
  const before = h.fake.counters.chargesCreated;
  h.fake.failNext({ kind: 'slow', ms: 150 });
  const results = await Promise.all(Array.from({ length: 20 }, () => chargeDue({ dueId, channel: 'ivr' }, h.payments.deps)));
  const outcomes = results.map((r) => r.outcome);
  assert.equal(outcomes.filter((o) => o === 'succeeded').length, 1, outcomes.join(','));
  assert.ok(outcomes.every((o) => ['succeeded', 'in-progress', 'already-paid'].includes(o)));
  assert.equal(h.fake.counters.chargesCreated, before + 1);
  const s = await dueState(h.t, dueId);
  assert.deepEqual([s.status, s.attempts.length, s.attempts[0].status], ['paid', 1, 'succeeded']);
});

test('unknown, void and card-less dues are refused with clear codes', async () => {
  await assert.rejects(chargeDue({ dueId: newId(), channel: 'ivr' }, h.payments.deps), (e: unknown) => e instanceof AppError && e.code === 'PAY_DUE_NOT_FOUND');
  const noCard = await h.seedDue();
  await assert.rejects(chargeDue({ dueId: noCard.dueId, channel: 'ivr' }, h.payments.deps), (e: unknown) => e instanceof AppError && e.code === 'PAY_NO_PAYMENT_METHOD');
  await h.t.db.query(`update premium_dues set status = 'void' where id = $1`, [noCard.dueId]);
  await assert.rejects(chargeDue({ dueId: noCard.dueId, channel: 'ivr' }, h.payments.deps), (e: unknown) => e instanceof AppError && e.code === 'PAY_DUE_NOT_PAYABLE');
});

test('a new card given on the call is saved (brand and last4 only) and charged', async () => {
  const { dueId, holderId } = await h.seedDue({ card: 'pm_card_chargeDeclinedExpiredCard' });
  assert.equal((await chargeDue({ dueId, channel: 'ivr' }, h.payments.deps)).outcome, 'failed');
  const r = await chargeDue({ dueId, channel: 'ivr', paymentMethodId: 'pm_card_mastercard' }, h.payments.deps);
  assert.equal(r.outcome, 'succeeded');
  const pm = await h.t.db.query('select brand, last4, is_default from payment_methods where policyholder_id = $1 order by created_at', [holderId]);
  assert.deepEqual(pm.rows.map((x) => [x.brand, x.last4, x.is_default]), [['visa', '0069', false], ['mastercard', '4444', true]]);
});
