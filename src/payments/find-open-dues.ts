import type { Db } from '../db/pool.js';
import type { DueInfo, DueStanding } from '../flows/inbound-call.types.js';
import { joinHolderSql, joinPolicySql } from '../policies/policy-join-sql.js';

type DueRow = {
  policy_id: string; id: string; amount_cents: number; currency: string; due_date: string;
  pm: string | null; brand: string | null; last4: string | null; standing: DueStanding; grace_end: string;
};

/**
 * For each policy, its earliest open (or failed, so still owed) premium due,
 * with the policyholder's default saved card (provider references only) and
 * where it stands on the policyholder's calendar day at `now`: not yet due,
 * due today, overdue within the grace period (which ends `graceDays` after
 * the due date), or past it. One query for many concurrent calls; a policy
 * with nothing owed is absent. A holder without a zone of their own is on the insurer's (`homeZone`).
 */
export const findOpenDues = async (
  db: Db,
  policyIds: string[],
  at: { now: Date; graceDays: number; homeZone: string },
): Promise<Map<string, DueInfo>> => {
  const { rows } = await db.query<DueRow>(
    `select distinct on (d.policy_id) d.policy_id, d.id, d.amount_cents, d.currency, d.due_date::text as due_date,
            pm.provider_payment_method_id as pm, pm.brand, pm.last4,
            (d.due_date + $3::int)::text as grace_end,
            case when d.due_date > today then 'upcoming' when d.due_date = today then 'due-today'
                 when d.due_date + $3::int >= today then 'overdue' else 'past-grace' end as standing
       from premium_dues d
       ${joinPolicySql('p', 'd.policy_id')}
       ${joinHolderSql('ph', 'p.policyholder_id')}
       cross join lateral (select ($2::timestamptz at time zone coalesce(ph.time_zone, $4))::date as today) t
       left join lateral (
         select provider_payment_method_id, brand, last4 from payment_methods
          where policyholder_id = p.policyholder_id order by is_default desc, created_at desc limit 1) pm on true
      where d.policy_id = any($1::uuid[]) and d.status in ('open', 'failed')
      order by d.policy_id, d.due_date`,
    [policyIds, at.now, at.graceDays, at.homeZone],
  );
  return new Map(rows.map((r) => [r.policy_id, {
    dueId: r.id,
    amountCents: r.amount_cents,
    currency: r.currency,
    dueDate: r.due_date,
    standing: r.standing,
    graceEndDate: r.grace_end,
    cardOnFile: r.pm ? { paymentMethodId: r.pm, brand: r.brand, last4: r.last4 } : null,
  }]));
};
