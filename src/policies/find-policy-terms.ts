import type { Queryable } from '../db/pool.js';

/** A policy's terms: what it covers, what it costs, when it is billed. Dates 'YYYY-MM-DD'. */
export type PolicyTerms = {
  policyId: string;
  policyNumber: string;
  policyholderId: string;
  product: string;
  coverageTier: string;
  sumInsuredCents: number;
  premiumCents: number;
  currency: string;
  billingFrequency: 'monthly' | 'quarterly' | 'semiannual' | 'annual';
  nextDueDate: string | null;
  inceptionDate: string;
  status: string;
  /** When a mis-selling complaint was opened and is not yet resolved. */
  complaintOpenedAt: Date | null;
};

/** The terms of one policy, or null for an unknown id. */
export const findPolicyTerms = async (db: Queryable, policyId: string): Promise<PolicyTerms | null> => {
  const { rows } = await db.query<PolicyTerms>(
    `select id as "policyId", policy_number as "policyNumber", policyholder_id as "policyholderId", product,
            coverage_tier as "coverageTier", sum_insured_cents::float8 as "sumInsuredCents", premium_cents::float8 as "premiumCents",
            currency, billing_frequency as "billingFrequency", next_due_date::text as "nextDueDate",
            coalesce(inception_date, created_at::date)::text as "inceptionDate", status, complaint_opened_at as "complaintOpenedAt"
       from policies where id = $1`,
    [policyId],
  );
  return rows[0] ?? null;
};
