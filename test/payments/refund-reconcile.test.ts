import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chargeDue } from '../../src/payments/charge-due.js';
import { reconcilePayments } from '../../src/payments/reconcile-payments.js';
import { refundPayment } from '../../src/payments/refund-payment.js';
import { AppError } from '../../src/shared/app-error.js';
import { dueState, startHarness, type Harness } from './payments-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => h.close());

const paidDue = async (o: { inceptionDate: string }) => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa', inceptionDate: o.inceptionDate });
  const r = await chargeDue({ dueId, channel: 'ivr' }, h.payments.deps);
  assert.ok(r.outcome === 'succeeded');
  return { dueId, attemptId: r.attemptId, paymentId: r.paymentId };
};

test('a cancellation after free-look refunds the unused days pro-rata at Stripe; a mis-selling complaint then refunds the rest', async () => {
  const { dueId, attemptId } = await paidDue({ inceptionDate: '2026-01-15' });
  const pro = await refundPayment({ attemptId, ground: 'cancellation', cancelDate: '2026-12-11', requestedBy: 'spec-1' }, h.payments.deps);
  assert.deepEqual([pro.kind, pro.amountCents, pro.status], ['pro-rata', 8_433, 'succeeded']);
  const again = await refundPayment({ attemptId, ground: 'cancellation', cancelDate: '2026-12-11', requestedBy: 'spec-1' }, h.payments.deps);
  assert.equal(again.refundId, pro.refundId, 'asking twice refunds once');
  const full = await refundPayment({ attemptId, ground: 'mis-selling', requestedBy: 'spec-1' }, h.payments.deps);
  assert.deepEqual([full.kind, full.amountCents], ['full-mis-selling', 12_450 - 8_433]);
  await h.fake.idle();
  assert.equal((await dueState(h.t, dueId)).attempts[0].refunded_cents, 12_450);
  const charge = h.fake.charges().find((c) => c.amount_refunded === 12_450);
  assert.ok(charge, 'Stripe refunded exactly what was paid');
  const refunds = h.fake.counters.refundsCreated;
  const same = await refundPayment({ attemptId, ground: 'mis-selling', requestedBy: 'spec-1' }, h.payments.deps);
  assert.equal(same.refundId, full.refundId);
  assert.equal(h.fake.counters.refundsCreated, refunds, 'a repeated request does not reach Stripe again');
  await assert.rejects(refundPayment({ attemptId, ground: 'duplicate', requestedBy: 'spec-1' }, h.payments.deps),
    (e: unknown) => e instanceof AppError && e.code === 'PAY_NOT_REFUNDABLE');
});

test('within the free-look period the refund is full', async () => {
  const { attemptId } = await paidDue({ inceptionDate: '2026-11-20' });
  const r = await refundPayment({ attemptId, ground: 'cancellation', cancelDate: '2026-12-05', requestedBy: 'spec-2' }, h.payments.deps);
  assert.deepEqual([r.kind, r.amountCents], ['full-free-look', 12_450]);
});

test('a refund interrupted by the network is resumed with the same key: money goes back once', async () => {
  const { attemptId } = await paidDue({ inceptionDate: '2026-11-20' });
  const before = h.fake.counters.refundsCreated;
  h.fake.failNext({ kind: 'network', when: 'after', times: 3 });
  await assert.rejects(refundPayment({ attemptId, ground: 'mis-selling', requestedBy: 'spec-3' }, h.payments.deps));
  const r = await refundPayment({ attemptId, ground: 'mis-selling', requestedBy: 'spec-3' }, h.payments.deps);
  assert.equal(r.status, 'succeeded');
  assert.equal(h.fake.counters.refundsCreated, before + 1);
});

test('reconciliation reports a Stripe payment we never recorded and a refund we do not know of', async () => {
  const since = new Date(Date.now() - 60_000);
  const clean = await reconcilePayments({ since }, h.payments.deps);
  await h.fake.idle();
  assert.deepEqual((await reconcilePayments({ since }, h.payments.deps)).mismatches, clean.mismatches);
  const { dueId, paymentId } = await paidDue({ inceptionDate: '2026-01-01' });
  // Someone refunds in the Stripe dashboard while our webhook endpoint is down.
  h.fake.setAutoDeliver(false);
  await h.payments.gateway.refund({ paymentId, amountCents: 100, reason: 'requested_by_customer', idempotencyKey: 'dash-1', metadata: {} });
  // A payment made outside the gateway for one of our dues.
  const holder = (await h.t.db.query(`select provider_customer_id, provider_payment_method_id from payment_methods limit 1`)).rows[0];
  const stray = await h.payments.gateway.chargeOffSession({ customerId: holder.provider_customer_id, paymentMethodId: holder.provider_payment_method_id,
    amountCents: 999, currency: 'usd', idempotencyKey: 'stray-1', metadata: { due_id: dueId } });
  h.fake.setAutoDeliver(true);
  const r = await reconcilePayments({ since }, h.payments.deps);
  const kinds = r.mismatches.map((m) => `${m.kind}:${m.paymentId}`);
  assert.ok(kinds.includes(`refund-differs:${paymentId}`), kinds.join(','));
  assert.ok(stray.status === 'succeeded' && kinds.includes(`missing-here:${stray.paymentId}`), kinds.join(','));
  const ev = await h.t.db.query(`select payload from evidence_events where type = 'reconciliation.report' order by received_at desc limit 1`);
  assert.equal(ev.rows[0].payload.mismatches.length, r.mismatches.length);
});
