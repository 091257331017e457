import type { Db } from '../db/pool.js';
import type { SmsRetentionPort } from '../sms/sms-deps.js';
import type { Clock } from '../shared/clock.js';
import { chooseOffers } from './offers/choose-offers.js';
import { findPolicyFacts } from './offers/find-policy-facts.js';
import type { RetentionOffers } from './offers/offer-rules-config.js';
import { movedDueDate } from './offers/reprice.js';

/**
 * The retention rules a cancellation by text uses, the same the retention call uses: the offers for a
 * reason (chosen by the rules file, priced from the policy as it is now), a moved payment date, and
 * what a product's cover protects.
 */
export const createSmsRetentionPort = (deps: { db: Db; clock: Clock; offers: RetentionOffers }): SmsRetentionPort => ({
  offersFor: async (policyId, reason, today) => {
    const facts = await findPolicyFacts(deps.db, policyId, deps.clock.now());
    return facts ? chooseOffers(deps.offers, reason, facts, today).offers : [];
  },
  movedDate: movedDueDate,
  coverText: (product, locale) => deps.offers.products[product]?.cover[locale] ?? null,
});
