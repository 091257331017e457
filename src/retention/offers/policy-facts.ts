import type { PolicyBilling } from '../../payments/policy-billing.js';
import type { PolicyTerms } from '../../policies/find-policy-terms.js';

/** What choosing and pricing offers reads about a policy: its terms and its billing (find-policy-facts.ts). Dates 'YYYY-MM-DD'. */
export type PolicyFacts = Omit<PolicyTerms, 'complaintOpenedAt'> & PolicyBilling;
