import type { Db } from '../db/pool.js';
import type { PaymentReceiptFacts } from '../jobs/contracts/payment-receipt.job.js';
import { confirmationNumber } from './confirmation-number.js';
import { customerNumberOfInteraction } from '../evidence/interactions.js';
import { holderPhonesSql, joinHolderSql, joinPolicySql } from '../policies/policy-join-sql.js';

/**
 * A due's receipt wording (amount, policy, holder's locale, the attempt's confirmation number) and
 * the numbers it may be texted to, in one read: the number the customer is using on the
 * interaction (the call's caller ID, or the number called on an outbound call) and the
 * policyholder's numbers; without an interaction, the holder's numbers only. Their consent is the
 * sender's to read. Null when the due does not exist.
 */
export const findReceiptDetails = async (
  db: Db,
  r: { dueId: string; attemptId: string; interactionId: string | null },
): Promise<PaymentReceiptFacts | null> => {
  const { rows } = await db.query<Omit<PaymentReceiptFacts, 'confirmation'>>(
    `select n.numbers, ph.locale, d.amount_cents as "amountCents", d.currency, p.policy_number as "policyNumber"
       from premium_dues d ${joinPolicySql('p', 'd.policy_id')} ${joinHolderSql('ph', 'p.policyholder_id')}
       cross join lateral (
         select coalesce(json_agg(json_build_object('to', u.phone, 'inUse', u.rank = 0) order by u.rank, u.phone), '[]') as numbers
           from (select phone, min(rank) as rank from (
                   select ${customerNumberOfInteraction('$2::uuid')} as phone, 0 as rank
                   union all
                   select phone_e164, case when label = 'mobile' then 1 else 2 end from (${holderPhonesSql('ph.id')}) hp) all_numbers
                  where phone is not null group by phone) u) n
      where d.id = $1`,
    [r.dueId, r.interactionId],
  );
  const row = rows[0];
  return row ? { ...row, confirmation: confirmationNumber(r.attemptId) } : null;
};
