import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RETENTION_OFFERS } from './default-retention-offers.js';
import type { PolicyFacts } from './policy-facts.js';
import { addPeriods, effectiveDateOf, movedDueDate, priceSkipInstalment, priceSumDowngrade, priceTierDowngrade, scaleCents } from './reprice.js';

const auto = DEFAULT_RETENTION_OFFERS.products.auto!;
const life = DEFAULT_RETENTION_OFFERS.products['term-life']!;
const policy = (o: Partial<PolicyFacts> = {}): PolicyFacts => ({
  policyId: 'p1', policyNumber: 'HM-A-1', policyholderId: 'h1', product: 'auto', coverageTier: 'standard',
  sumInsuredCents: 5_000_000, premiumCents: 11_820, currency: 'usd', billingFrequency: 'monthly',
  nextDueDate: '2026-12-05', inceptionDate: '2024-11-02', status: 'active',
  openDue: { dueId: 'd1', dueDate: '2026-12-05', amountCents: 11_820 }, declinedLastYear: 0, ...o,
});

describe('scaleCents (half up, integer arithmetic)', () => {
  it('rounds half a cent up and less than half down', () => {
    assert.equal(scaleCents(11_820, 8000, 10000), 9456); // exact
    assert.equal(scaleCents(101, 1, 2), 51); // 50.5 -> 51
    assert.equal(scaleCents(103, 1, 3), 34); // 34.33 -> 34
    assert.equal(scaleCents(105, 2, 3), 70); // 70.0
    assert.equal(scaleCents(1, 1, 2), 1); // 0.5 -> 1
  });
  it('stays exact beyond float precision', () => {
    assert.equal(scaleCents(9_007_199_254_740_991, 3, 3), 9_007_199_254_740_991);
  });
  it('refuses fractions of a cent and negative values', () => {
    assert.throws(() => scaleCents(10.5, 1, 2), RangeError);
    assert.throws(() => scaleCents(-1, 1, 2), RangeError);
    assert.throws(() => scaleCents(1, 1, 0), RangeError);
  });
});

describe('dates', () => {
  it('adds billing periods like Postgres intervals (clamped to month end)', () => {
    assert.equal(addPeriods('2027-01-31', 'monthly', 1), '2027-02-28');
    assert.equal(addPeriods('2026-12-05', 'quarterly', 1), '2027-03-05');
    assert.equal(addPeriods('2026-02-28', 'annual', 2), '2028-02-28');
  });
  it('a change applies from the next due date on or after today', () => {
    assert.equal(effectiveDateOf(policy(), '2026-12-03'), '2026-12-05');
    assert.equal(effectiveDateOf(policy(), '2026-12-05'), '2026-12-05');
    assert.equal(effectiveDateOf(policy({ nextDueDate: '2026-11-15' }), '2026-12-03'), '2026-12-15');
    assert.equal(effectiveDateOf(policy({ nextDueDate: null }), '2026-12-03'), null);
  });
  it('a moved due date is never before the current one or today', () => {
    assert.equal(movedDueDate('2026-12-05', 15, '2026-12-03'), '2026-12-15');
    assert.equal(movedDueDate('2026-12-05', 1, '2026-12-03'), '2027-01-01');
    assert.equal(movedDueDate('2026-12-05', 5, '2026-12-03'), '2026-12-05');
    assert.equal(movedDueDate('2026-11-15', 10, '2026-12-03'), '2026-12-10'); // overdue: from today
    assert.equal(movedDueDate('2026-12-05', 29, '2026-12-03'), null);
    assert.equal(movedDueDate('2026-12-05', 0, '2026-12-03'), null);
  });
});

describe('downgrades', () => {
  it('one tier down scales the premium by the tiers\' factors', () => {
    const q = priceTierDowngrade(policy(), auto, '2026-12-03');
    assert.deepEqual(q, {
      kind: 'downgrade-tier', fromTier: 'standard', toTier: 'basic', fromSumInsuredCents: 5_000_000, toSumInsuredCents: 5_000_000,
      fromPremiumCents: 11_820, toPremiumCents: 9_456, currency: 'usd', effectiveDate: '2026-12-05',
    });
    // gold -> plus: 9675 * 11500 / 13000 = 8558.65... -> 8559
    assert.equal((priceTierDowngrade(policy({ coverageTier: 'gold', premiumCents: 9_675 }), auto, '2026-12-03') as { toPremiumCents: number }).toPremiumCents, 8_559);
  });
  it('no tier below the lowest, nor for a tier off the ladder', () => {
    assert.equal(priceTierDowngrade(policy({ coverageTier: 'basic' }), auto, '2026-12-03'), null);
    assert.equal(priceTierDowngrade(policy({ coverageTier: 'platinum' }), auto, '2026-12-03'), null);
  });
  it('a lower sum insured: whole dollars, premium in proportion, not below the minimum', () => {
    const q = priceSumDowngrade(policy({ product: 'term-life', coverageTier: 'gold', sumInsuredCents: 25_000_000, premiumCents: 4_250 }), life, '2026-12-03');
    assert.ok(q && q.kind === 'downgrade-sum');
    assert.equal(q.toSumInsuredCents, 18_750_000);
    assert.equal(q.toPremiumCents, 3_188); // 4250 * 0.75 = 3187.5 -> 3188
    assert.equal(priceSumDowngrade(policy({ sumInsuredCents: 6_000_000 }), life, '2026-12-03'), null); // 45,000 < 50,000 minimum
    assert.equal(priceSumDowngrade(policy(), auto, '2026-12-03'), null); // auto has no sum option
  });
});

describe('skipping an instalment', () => {
  it('moves the open due one month on with the next instalment added', () => {
    assert.deepEqual(priceSkipInstalment(policy(), auto), {
      kind: 'skip-instalment', dueId: 'd1', fromDate: '2026-12-05', toDate: '2027-01-05', fromAmountCents: 11_820, toAmountCents: 23_640, currency: 'usd',
    });
  });
  it('only for monthly policies of a product that allows it, once', () => {
    assert.equal(priceSkipInstalment(policy({ billingFrequency: 'quarterly' }), auto), null);
    assert.equal(priceSkipInstalment(policy({ product: 'term-life' }), life), null);
    assert.equal(priceSkipInstalment(policy({ openDue: { dueId: 'd1', dueDate: '2027-01-05', amountCents: 23_640 } }), auto), null);
    assert.equal(priceSkipInstalment(policy({ openDue: null }), auto), null);
  });
});
