import type { Db } from '../db/pool.js';
import type { DueInfo } from '../flows/inbound-call.types.js';

/**
 * The earliest open (or failed, so still owed) premium due of a policy, with
 * the policyholder's default saved card. Provider references only.
 */
export const findOpenDue = async (db: Db, policyId: string): Promise<DueInfo | null> => {
  const { rows } = await db.query<{
    id: string;
    amount_cents: number;
    currency: string;
    due_date: string;
    pm: string | null;
    brand: string | null;
    last4: string | null;
  }>(
    `select d.id, d.amount_cents, d.currency, d.due_date::text as due_date,
            pm.provider_payment_method_id as pm, pm.brand, pm.last4
       from premium_dues d
       join policies p on p.id = d.policy_id
       left join lateral (
         select provider_payment_method_id, brand, last4 from payment_methods
          where policyholder_id = p.policyholder_id order by is_default desc, created_at desc limit 1) pm on true
      where d.policy_id = $1 and d.status in ('open', 'failed')
      order by d.due_date limit 1`,
    [policyId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    dueId: r.id,
    amountCents: r.amount_cents,
    currency: r.currency,
    dueDate: r.due_date,
    cardOnFile: r.pm ? { paymentMethodId: r.pm, brand: r.brand, last4: r.last4 } : null,
  };
};
