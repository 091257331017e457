import type { Db } from '../db/pool.js';
import type { DueInfo } from '../flows/inbound-call.types.js';

type DueRow = {
  policy_id: string; id: string; amount_cents: number; currency: string; due_date: string;
  pm: string | null; brand: string | null; last4: string | null;
};

/**
 * For each policy, its earliest open (or failed, so still owed) premium due,
 * with the policyholder's default saved card; provider references only. One
 * query for many concurrent calls; a policy with nothing owed is absent.
 */
export const findOpenDues = async (db: Db, policyIds: string[]): Promise<Map<string, DueInfo>> => {
  const { rows } = await db.query<DueRow>(
    `select distinct on (d.policy_id) d.policy_id, d.id, d.amount_cents, d.currency, d.due_date::text as due_date,
            pm.provider_payment_method_id as pm, pm.brand, pm.last4
       from premium_dues d
       join policies p on p.id = d.policy_id
       left join lateral (
         select provider_payment_method_id, brand, last4 from payment_methods
          where policyholder_id = p.policyholder_id order by is_default desc, created_at desc limit 1) pm on true
      where d.policy_id = any($1::uuid[]) and d.status in ('open', 'failed')
      order by d.policy_id, d.due_date`,
    [policyIds],
  );
  return new Map(rows.map((r) => [r.policy_id, {
    dueId: r.id,
    amountCents: r.amount_cents,
    currency: r.currency,
    dueDate: r.due_date,
    cardOnFile: r.pm ? { paymentMethodId: r.pm, brand: r.brand, last4: r.last4 } : null,
  }]));
};
