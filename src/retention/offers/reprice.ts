import { DateTime } from 'luxon';
import type { OfferQuote } from '../../flows/retention-call.types.js';
import type { ProductTerms } from './offer-rules-config.js';
import type { PolicyFacts } from './policy-facts.js';

const MONTHS = { monthly: 1, quarterly: 3, semiannual: 6, annual: 12 } as const;

const day = (d: string) => DateTime.fromISO(d, { zone: 'utc' });
const iso = (d: DateTime) => d.toISODate()!;

/**
 * `value * num / den` rounded half up to the cent, in exact integer arithmetic
 * (BigInt, so no float ever touches money): `floor((2 * value * num + den) / (2 * den))`.
 */
export const scaleCents = (value: number, num: number, den: number): number => {
  if (!Number.isSafeInteger(value) || value < 0 || !Number.isSafeInteger(num) || num < 0 || !Number.isSafeInteger(den) || den <= 0) {
    throw new RangeError('scaleCents takes non-negative integer cents and a positive ratio of integers');
  }
  return Number((2n * BigInt(value) * BigInt(num) + BigInt(den)) / (2n * BigInt(den)));
};

/** `date` plus n billing periods, clamped to the month's end like Postgres intervals (Jan 31 + 1 month = Feb 28). */
export const addPeriods = (date: string, frequency: PolicyFacts['billingFrequency'], n: number): string =>
  iso(day(date).plus({ months: MONTHS[frequency] * n }));

/**
 * The first due date a change of premium applies to: the next due date on the
 * policy's schedule that is today or later. An overdue due keeps the premium
 * of the period it covers. Null for a policy with no schedule.
 */
export const effectiveDateOf = (p: PolicyFacts, today: string): string | null => {
  if (!p.nextDueDate) return null;
  let d = p.nextDueDate;
  for (let i = 0; d < today && i < 1200; i++) d = addPeriods(p.nextDueDate, p.billingFrequency, i + 1);
  return d;
};

/** One tier down the product's ladder, the premium scaled by the tiers' factors. Null at the lowest tier or off the ladder. */
export const priceTierDowngrade = (p: PolicyFacts, terms: ProductTerms, today: string): OfferQuote | null => {
  const at = terms.tiers.findIndex((t) => t.name === p.coverageTier);
  const effectiveDate = effectiveDateOf(p, today);
  if (at <= 0 || !effectiveDate) return null;
  const [from, to] = [terms.tiers[at]!, terms.tiers[at - 1]!];
  return {
    kind: 'downgrade-tier', fromTier: from.name, toTier: to.name,
    fromSumInsuredCents: p.sumInsuredCents, toSumInsuredCents: p.sumInsuredCents,
    fromPremiumCents: p.premiumCents, toPremiumCents: scaleCents(p.premiumCents, to.factorBp, from.factorBp),
    currency: p.currency, effectiveDate,
  };
};

/**
 * The same tier with a lower sum insured: `reducePercent` of today's sum, rounded
 * down to whole dollars; the premium scaled by the same ratio. Null when the
 * product has no such option or the sum would fall below its minimum.
 */
export const priceSumDowngrade = (p: PolicyFacts, terms: ProductTerms, today: string): OfferQuote | null => {
  const effectiveDate = effectiveDateOf(p, today);
  if (!terms.sumInsured || !effectiveDate || p.sumInsuredCents <= 0) return null;
  const toSum = Number((BigInt(p.sumInsuredCents) * BigInt(terms.sumInsured.reducePercent)) / 100n / 100n) * 100;
  if (toSum < terms.sumInsured.minimumCents || toSum >= p.sumInsuredCents) return null;
  return {
    kind: 'downgrade-sum', fromTier: p.coverageTier, toTier: p.coverageTier,
    fromSumInsuredCents: p.sumInsuredCents, toSumInsuredCents: toSum,
    fromPremiumCents: p.premiumCents, toPremiumCents: scaleCents(p.premiumCents, toSum, p.sumInsuredCents),
    currency: p.currency, effectiveDate,
  };
};

/** Moving the open due to another day of the month: offered while there is an open due. */
export const priceMoveDate = (p: PolicyFacts): OfferQuote | null =>
  p.openDue ? { kind: 'move-date', dueId: p.openDue.dueId, fromDate: p.openDue.dueDate, amountCents: p.openDue.amountCents, currency: p.currency } : null;

/**
 * The due date a payment day gives: the first date on that day of the month
 * that is on or after both the current due date and today, so a move never
 * makes a due overdue. Days 1-28 only (every month has them).
 */
export const movedDueDate = (fromDate: string, dayOfMonth: number, today: string): string | null => {
  if (!Number.isInteger(dayOfMonth) || dayOfMonth < 1 || dayOfMonth > 28) return null;
  const base = day(fromDate > today ? fromDate : today);
  const same = base.set({ day: dayOfMonth });
  return iso(same < base ? same.plus({ months: 1 }) : same);
};

/**
 * Skipping one monthly instalment: nothing is taken on the open due's date; one
 * period later the customer pays it together with the next (one due of both
 * amounts, so paying it moves cover on two periods). Monthly policies of a
 * product that allows it, with an open due of no more than one premium.
 */
export const priceSkipInstalment = (p: PolicyFacts, terms: ProductTerms): OfferQuote | null => {
  if (!terms.skipInstalment || p.billingFrequency !== 'monthly' || !p.openDue || p.openDue.amountCents > p.premiumCents) return null;
  return {
    kind: 'skip-instalment', dueId: p.openDue.dueId, fromDate: p.openDue.dueDate,
    toDate: addPeriods(p.openDue.dueDate, 'monthly', 1),
    fromAmountCents: p.openDue.amountCents, toAmountCents: p.openDue.amountCents + p.premiumCents, currency: p.currency,
  };
};
