import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseOffers, matchRule, policyAgeMonths } from './choose-offers.js';
import { DEFAULT_RETENTION_OFFERS } from './default-retention-offers.js';
import { parseRetentionOffers } from './offer-rules-config.js';
import type { PolicyFacts } from './policy-facts.js';

const policy = (o: Partial<PolicyFacts> = {}): PolicyFacts => ({
  policyId: 'p1', policyNumber: 'HM-A-1', policyholderId: 'h1', product: 'auto', coverageTier: 'standard',
  sumInsuredCents: 5_000_000, premiumCents: 11_820, currency: 'usd', billingFrequency: 'monthly',
  nextDueDate: '2026-12-05', inceptionDate: '2024-11-02', status: 'active',
  openDue: { dueId: 'd1', dueDate: '2026-12-05', amountCents: 11_820 }, declinedLastYear: 0, ...o,
});
const TODAY = '2026-12-03';
const kinds = (r: ReturnType<typeof chooseOffers>) => r.offers.map((o) => o.kind);

describe('chooseOffers (default rules)', () => {
  it('too expensive: a downgrade first, then a new payment date; two at most', () => {
    const r = chooseOffers(DEFAULT_RETENTION_OFFERS, 'too-expensive', policy(), TODAY);
    assert.equal(r.rule, 'price');
    assert.deepEqual(kinds(r), ['downgrade-tier', 'move-date']); // auto has no sum option: passed over
  });
  it('too expensive after a declined payment: payment date and a skipped instalment first', () => {
    assert.deepEqual(kinds(chooseOffers(DEFAULT_RETENTION_OFFERS, 'too-expensive', policy({ declinedLastYear: 1 }), TODAY)), ['move-date', 'skip-instalment']);
  });
  it('passes over what does not apply: lowest tier, no open due', () => {
    assert.deepEqual(kinds(chooseOffers(DEFAULT_RETENTION_OFFERS, 'found-cheaper', policy({ coverageTier: 'basic' }), TODAY)), ['move-date']);
    assert.deepEqual(kinds(chooseOffers(DEFAULT_RETENTION_OFFERS, 'found-cheaper', policy({ coverageTier: 'basic', openDue: null }), TODAY)), []);
  });
  it('life policies no longer needed: the cover explained, then a lower sum insured', () => {
    const r = chooseOffers(DEFAULT_RETENTION_OFFERS, 'no-longer-needed', policy({ product: 'term-life', sumInsuredCents: 25_000_000 }), TODAY);
    assert.deepEqual(kinds(r), ['explain-cover', 'downgrade-sum']);
  });
  it('each reason gets its rule; mis-selling gets no offer', () => {
    assert.deepEqual(kinds(chooseOffers(DEFAULT_RETENTION_OFFERS, 'family-objects', policy(), TODAY)), ['explain-cover', 'downgrade-tier']);
    assert.deepEqual(kinds(chooseOffers(DEFAULT_RETENTION_OFFERS, 'other', policy(), TODAY)), ['explain-cover']);
    assert.deepEqual(chooseOffers(DEFAULT_RETENTION_OFFERS, 'mis-sold', policy(), TODAY), { rule: null, offers: [] });
  });
  it('a product the file does not describe gets no offer', () => {
    assert.deepEqual(chooseOffers(DEFAULT_RETENTION_OFFERS, 'too-expensive', policy({ product: 'pet' }), TODAY).offers, []);
  });
  it('maxOffers caps the list', () => {
    const one = { ...DEFAULT_RETENTION_OFFERS, maxOffers: 1 };
    assert.deepEqual(kinds(chooseOffers(one, 'too-expensive', policy(), TODAY)), ['downgrade-tier']);
  });
});

describe('matchRule', () => {
  const config = parseRetentionOffers({
    products: DEFAULT_RETENTION_OFFERS.products,
    rules: [
      { name: 'new-auto', when: { products: ['auto'], policyAgeMonths: { max: 3 } }, offers: ['explain-cover'] },
      { name: 'any', offers: ['move-date'] },
    ],
  });
  it('matches policy age in whole months, inclusive', () => {
    assert.equal(policyAgeMonths('2026-09-03', TODAY), 3);
    assert.equal(policyAgeMonths('2026-09-04', TODAY), 2);
    assert.equal(matchRule(config.rules, 'other', policy({ inceptionDate: '2026-09-03' }), TODAY)?.name, 'new-auto');
    assert.equal(matchRule(config.rules, 'other', policy({ inceptionDate: '2026-08-03' }), TODAY)?.name, 'any');
    assert.equal(matchRule(config.rules, 'other', policy({ product: 'renters', inceptionDate: '2026-11-01' }), TODAY)?.name, 'any');
  });
});
