import type { Queryable } from '../db/pool.js';
import { joinHolderSql, joinPolicySql } from '../policies/policy-join-sql.js';

/**
 * A page of the dues the insurer's debit run charges today: open, falling due today on the holder's
 * calendar (their zone, else `homeZone`), of a live policy, with a card on file, and never charged
 * yet (a due someone already tried to pay is not the debit run's). By id, after `afterId`.
 */
export const findDebitDues = async (
  db: Queryable, o: { now: Date; homeZone: string; afterId: string | null; limit: number },
): Promise<string[]> =>
  (await db.query<{ id: string }>(
    `select d.id from premium_dues d
       ${joinPolicySql('p', 'd.policy_id')}
       ${joinHolderSql('ph', 'p.policyholder_id')}
      where d.status = 'open' and p.status in ('active', 'grace', 'reinstated')
        and d.due_date = ($1::timestamptz at time zone coalesce(ph.time_zone, $2))::date
        and ($3::uuid is null or d.id > $3::uuid)
        and exists (select 1 from payment_methods m where m.policyholder_id = p.policyholder_id)
        and not exists (select 1 from payment_attempts a where a.due_id = d.id)
      order by d.id limit $4`,
    [o.now, o.homeZone, o.afterId, o.limit],
  )).rows.map((r) => r.id);
