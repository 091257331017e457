import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_RETENTION_OFFERS } from './default-retention-offers.js';
import { loadRetentionOffers } from './load-retention-offers.js';
import { parseRetentionOffers } from './offer-rules-config.js';

const products = { auto: DEFAULT_RETENTION_OFFERS.products.auto };
const refused = (json: unknown) => {
  try {
    parseRetentionOffers(json);
  } catch (e) {
    return (e as Error).message;
  }
  return assert.fail('accepted a bad file');
};

describe('retention offers file', () => {
  it('names the rule and field that is wrong', () => {
    const m = refused({ products, rules: [{ name: 'ok', offers: [] }, { name: 'cheap', when: { reasons: ['bored'] }, offers: ['discount'] }] });
    assert.match(m, /^RETENTION_OFFERS_FILE: /);
    assert.match(m, /rules\.1 \(cheap\)\.when\.reasons\.0: "bored"/);
    assert.match(m, /rules\.1 \(cheap\)\.offers\.0: "discount"/);
  });
  it('refuses a rule naming a product not described, a rule name twice, bad age bounds', () => {
    const m = refused({ products, rules: [
      { name: 'a', when: { products: ['boat'] }, offers: [] },
      { name: 'a', when: { policyAgeMonths: { min: 5, max: 2 } }, offers: ['move-date', 'move-date'] },
    ] });
    assert.match(m, /rules\.0 \(a\): when\.products names "boat", which is not in products/);
    assert.match(m, /rules\.1 \(a\): the rule name is used twice/);
    assert.match(m, /min 5 is above max 2/);
    assert.match(m, /offers lists a kind twice/);
  });
  it('refuses tiers out of price order, more than two offers, missing Spanish wording, unknown fields', () => {
    const bad = { ...products.auto, tiers: [{ name: 'gold', factorBp: 13000 }, { name: 'basic', factorBp: 8000 }] };
    assert.match(refused({ products: { auto: bad }, rules: [{ name: 'x', offers: [] }] }), /products\.auto\.tiers: .* must list tiers from the cheapest up/);
    assert.match(refused({ maxOffers: 3, products, rules: [{ name: 'x', offers: [] }] }), /maxOffers: 3/);
    assert.match(refused({ products: { auto: { ...products.auto, cover: { 'en-US': 'x' } } }, rules: [{ name: 'x', offers: [] }] }), /cover/);
    assert.match(refused({ products, rules: [{ name: 'x', offers: [], discount: 5 }] }), /unknown field "discount"/);
  });
  it('loads a file, and says which file when it is not JSON', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'offers-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ products, rules: [{ name: 'all', offers: ['explain-cover'] }] }));
    assert.equal(loadRetentionOffers(good).rules[0]!.name, 'all');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    assert.throws(() => loadRetentionOffers(bad), new RegExp(`RETENTION_OFFERS_FILE ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: is not JSON`));
    assert.equal(loadRetentionOffers(undefined), DEFAULT_RETENTION_OFFERS);
  });
});
