import type { OfferKind, OfferQuote, RetentionReason } from '../../flows/retention-call.types.js';
import type { OfferRule, RetentionOffers } from './offer-rules-config.js';
import type { PolicyFacts } from './policy-facts.js';
import { priceMoveDate, priceSkipInstalment, priceSumDowngrade, priceTierDowngrade } from './reprice.js';

/** Whole months from inception to today. */
export const policyAgeMonths = (inceptionDate: string, today: string): number => {
  const [y1, m1, d1] = inceptionDate.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = today.split('-').map(Number) as [number, number, number];
  return Math.max(0, (y2 - y1) * 12 + (m2 - m1) - (d2 < d1 ? 1 : 0));
};

/** The first rule (top-down) whose conditions all hold; absent conditions hold for anything. */
export const matchRule = (rules: readonly OfferRule[], reason: RetentionReason, p: PolicyFacts, today: string): OfferRule | null => {
  const age = policyAgeMonths(p.inceptionDate, today);
  const history = p.declinedLastYear > 0 ? 'failures' : 'clean';
  return rules.find(({ when: w }) =>
    (!w.reasons || w.reasons.includes(reason)) &&
    (!w.products || w.products.includes(p.product)) &&
    (!w.policyAgeMonths || ((w.policyAgeMonths.min ?? 0) <= age && age <= (w.policyAgeMonths.max ?? Infinity))) &&
    (!w.paymentHistory || w.paymentHistory.includes(history))) ?? null;
};

/**
 * Pure: the offers to make a caller cancelling for `reason`, in order, at most
 * `maxOffers`: the matching rule's kinds, each priced from the policy's own
 * data, passing over those that do not apply to it (lowest tier already, no
 * open due, a product that does not allow it). A mis-selling complaint gets
 * none (it goes to a person); so does a product the file does not describe.
 */
export const chooseOffers = (config: RetentionOffers, reason: RetentionReason, p: PolicyFacts, today: string): { rule: string | null; offers: OfferQuote[] } => {
  const terms = config.products[p.product];
  if (reason === 'mis-sold' || !terms) return { rule: null, offers: [] };
  const rule = matchRule(config.rules, reason, p, today);
  if (!rule) return { rule: null, offers: [] };
  const price: Record<OfferKind, () => OfferQuote | null> = {
    'downgrade-tier': () => priceTierDowngrade(p, terms, today),
    'downgrade-sum': () => priceSumDowngrade(p, terms, today),
    'move-date': () => priceMoveDate(p),
    'skip-instalment': () => priceSkipInstalment(p, terms),
    'explain-cover': () => ({ kind: 'explain-cover', product: p.product }),
  };
  const offers: OfferQuote[] = [];
  for (const kind of rule.offers) {
    if (offers.length >= config.maxOffers) break;
    const quote = price[kind]();
    if (quote) offers.push(quote);
  }
  return { rule: rule.name, offers };
};
