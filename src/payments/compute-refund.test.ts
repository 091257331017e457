import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeRefund, type RefundInput } from './compute-refund.js';

const base: RefundInput = {
  ground: 'cancellation',
  paidCents: 12_450,
  refundedCents: 0,
  periodStart: '2026-12-01',
  periodEnd: '2027-01-01',
  inceptionDate: '2026-01-15',
  cancelDate: '2026-12-11',
  freeLookDays: 30,
};

test('within the free-look period the whole payment comes back', () => {
  const r = computeRefund({ ...base, inceptionDate: '2026-11-20', cancelDate: '2026-12-20' });
  assert.deepEqual([r.kind, r.amountCents], ['full-free-look', 12_450]);
  const dayAfter = computeRefund({ ...base, inceptionDate: '2026-11-20', cancelDate: '2026-12-21' });
  assert.equal(dayAfter.kind, 'pro-rata', 'the window is inception + 30 days inclusive');
});

test('a mis-selling complaint refunds in full whenever it comes', () => {
  const r = computeRefund({ ...base, ground: 'mis-selling', cancelDate: '2026-12-30' });
  assert.deepEqual([r.kind, r.amountCents], ['full-mis-selling', 12_450]);
});

test('otherwise pro-rata for the unused days, rounded down to the cent', () => {
  // 21 unused of 31 days of $124.50 = 8433.87... cents -> 8433
  const r = computeRefund(base);
  assert.deepEqual([r.kind, r.amountCents], ['pro-rata', 8_433]);
  assert.match(r.explanation, /21 unused of 31 days/);
});

test('edges: cancelled before the period refunds all of it, after it nothing', () => {
  assert.equal(computeRefund({ ...base, cancelDate: '2026-11-25' }).amountCents, 12_450);
  assert.equal(computeRefund({ ...base, cancelDate: '2026-12-01' }).amountCents, 12_450);
  assert.equal(computeRefund({ ...base, cancelDate: '2027-01-01' }).amountCents, 0);
  assert.equal(computeRefund({ ...base, cancelDate: '2027-03-01' }).amountCents, 0);
});

test('never more than what is left unrefunded, and a second full refund is zero', () => {
  const r = computeRefund({ ...base, refundedCents: 10_000 });
  assert.equal(r.amountCents, 2_450);
  assert.equal(computeRefund({ ...base, ground: 'mis-selling', refundedCents: 12_450 }).amountCents, 0);
});

test('pro-rata over a leap-year annual period is exact in integers', () => {
  const r = computeRefund({
    ...base, paidCents: 146_400, periodStart: '2028-01-01', periodEnd: '2029-01-01', cancelDate: '2028-07-01',
  });
  // 184 unused of 366 days: 146400 * 184 / 366 = 73600 exactly
  assert.equal(r.amountCents, 73_600);
});

test('refuses non-integer money and backwards periods', () => {
  assert.throws(() => computeRefund({ ...base, paidCents: 12.5 }), RangeError);
  assert.throws(() => computeRefund({ ...base, periodEnd: '2026-11-01' }), RangeError);
  assert.throws(() => computeRefund({ ...base, cancelDate: '12/11/2026' }), RangeError);
});
