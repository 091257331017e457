import type { Db } from '../../db/pool.js';
import { findPolicyBilling } from '../../payments/policy-billing.js';
import { findPolicyTerms } from '../../policies/find-policy-terms.js';
import type { PolicyFacts } from './policy-facts.js';

/** A policy's terms and billing, as the offer rules and pricing read them; null for an unknown policy. */
export const findPolicyFacts = async (db: Db, policyId: string, now: Date): Promise<PolicyFacts | null> => {
  const [terms, billing] = await Promise.all([findPolicyTerms(db, policyId), findPolicyBilling(db, policyId, now)]);
  if (!terms) return null;
  const { complaintOpenedAt: _complaint, ...rest } = terms;
  return { ...rest, ...billing };
};
