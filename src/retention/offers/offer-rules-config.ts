import { z } from 'zod';
import { describeIssue } from '../../contact/config-issues.js';
import { OFFER_KINDS, RETENTION_REASONS } from '../../flows/retention-call.types.js';

/**
 * The retention offers' configuration (RETENTION_OFFERS_FILE, docs/retention-offers.md):
 * each product's tier ladder and what it allows, and the rules that choose the offers
 * (reason x product x policy age x payment history -> ordered offer kinds; first
 * matching rule wins, top-down). Checked whole at start: a bad file stops the start
 * with the rule and field named.
 */

const ident = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lowercase letters, digits and dashes');
// why: a cover explanation is also texted (SMS offerExplain); 400 characters keep that text within 9 segments.
const wording = z.strictObject({ 'en-US': z.string().min(1).max(400), 'es-US': z.string().min(1).max(400) }, { error: 'must give en-US and es-US wording' });

const tier = z.strictObject({
  name: ident,
  /** The tier's price relative to the others, in basis points (10000 = 1.0). */
  factorBp: z.number().int().min(1).max(1_000_000),
});

const product = z.strictObject({
  /** Lowest to highest cover; a downgrade moves one step down. */
  tiers: z.array(tier).min(1)
    .refine((ts) => new Set(ts.map((t) => t.name)).size === ts.length, { message: 'names a tier twice' })
    .refine((ts) => ts.every((t, i) => i === 0 || t.factorBp > ts[i - 1]!.factorBp), { message: 'must list tiers from the cheapest up (factorBp rising)' }),
  /** A lower sum insured at the same tier: the new sum is this percentage of today's, whole dollars, not below the minimum. */
  sumInsured: z.strictObject({ reducePercent: z.number().int().min(1).max(99), minimumCents: z.number().int().min(0) }).optional(),
  /** Whether one monthly instalment may be skipped (paid with the next). */
  skipInstalment: z.boolean().default(false),
  /** What the cover protects, said to a caller who is weighing cancelling it. */
  cover: wording,
});

export const PAYMENT_HISTORIES = ['clean', 'failures'] as const;
export type PaymentHistory = (typeof PAYMENT_HISTORIES)[number];

const rule = z.strictObject({
  name: ident,
  when: z.strictObject({
    /** Absent: any. */
    reasons: z.array(z.enum(RETENTION_REASONS)).min(1).optional(),
    products: z.array(ident).min(1).optional(),
    /** Months since inception, inclusive bounds. */
    policyAgeMonths: z.strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() }).optional(),
    /** 'failures': a declined payment in the last 12 months. */
    paymentHistory: z.array(z.enum(PAYMENT_HISTORIES)).min(1).optional(),
  }).default({}),
  /** Offer kinds in the order to try; those that do not apply to the policy are passed over. */
  offers: z.array(z.enum(OFFER_KINDS)).max(OFFER_KINDS.length),
});

const file = z.strictObject({
  /** At most this many offers before the caller is asked whether to cancel (never more than two). */
  maxOffers: z.number().int().min(0).max(2).default(2),
  products: z.record(ident, product),
  rules: z.array(rule).min(1),
});

export type ProductTerms = z.output<typeof product>;
export type OfferRule = z.output<typeof rule>;
export type RetentionOffers = z.output<typeof file>;

/** Cross-field checks zod cannot express per field: rules name known products, no rule twice. */
const crossCheck = (c: RetentionOffers): string[] => {
  const problems: string[] = [];
  const seen = new Set<string>();
  c.rules.forEach((r, i) => {
    const where = `rules.${i} (${r.name})`;
    if (seen.has(r.name)) problems.push(`${where}: the rule name is used twice`);
    seen.add(r.name);
    for (const p of r.when.products ?? []) if (!c.products[p]) problems.push(`${where}: when.products names "${p}", which is not in products`);
    const age = r.when.policyAgeMonths;
    if (age?.min !== undefined && age.max !== undefined && age.min > age.max) problems.push(`${where}: when.policyAgeMonths min ${age.min} is above max ${age.max}`);
    if (new Set(r.offers).size !== r.offers.length) problems.push(`${where}: offers lists a kind twice`);
  });
  return problems;
};

/** Parses and checks a retention offers file; throws an Error naming every bad rule and field. */
export const parseRetentionOffers = (json: unknown, what = 'RETENTION_OFFERS_FILE'): RetentionOffers => {
  const r = file.safeParse(json, { reportInput: true });
  if (!r.success) {
    const named = r.error.issues.map((issue) => {
      const [top, index] = issue.path;
      const ruleName = top === 'rules' && typeof index === 'number' ? (json as { rules?: { name?: unknown }[] }).rules?.[index]?.name : undefined;
      const text = describeIssue(issue);
      return typeof ruleName === 'string' ? text.replace(/^rules\.(\d+)/, `rules.$1 (${ruleName})`) : text;
    });
    throw new Error(`${what}: ${named.join('; ')}`);
  }
  const problems = crossCheck(r.data);
  if (problems.length) throw new Error(`${what}: ${problems.join('; ')}`);
  return r.data;
};
