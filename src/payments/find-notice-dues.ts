import type { Db } from '../db/pool.js';
import { joinHolderSql, joinPolicySql } from '../policies/policy-join-sql.js';

/** A premium due as a notice tells of it. */
export type NoticeDue = {
  id: string;
  policyId: string;
  status: 'open' | 'paid' | 'failed' | 'waived' | 'void';
  amountCents: number;
  currency: string;
  /** YYYY-MM-DD. */
  dueDate: string;
};

/** The dues with these ids, or of these policies, by policy and due date. */
export const findNoticeDues = async (db: Db, by: { ids?: readonly string[]; policyIds?: readonly string[] }): Promise<NoticeDue[]> => {
  const [ids, policyIds] = [by.ids ?? [], by.policyIds ?? []];
  if (ids.length + policyIds.length === 0) return [];
  const { rows } = await db.query<NoticeDue>(
    `select id, policy_id as "policyId", status, amount_cents::float8 as "amountCents", currency, due_date::text as "dueDate"
       from premium_dues where id = any($1::uuid[]) or policy_id = any($2::uuid[]) order by policy_id, due_date, id`,
    [ids, policyIds],
  );
  return rows;
};

/** An open due whose date is some days ahead on its holder's calendar, and that calendar's today. */
export type DueAhead = { dueId: string; policyId: string; today: string };

/**
 * Open dues whose due date is `daysAhead` days after today on the policyholder's calendar (their
 * zone, else `homeZone`), after `afterId` in id order, at most `limit`: one page of a scan.
 */
export const findDuesAhead = async (
  db: Db,
  o: { now: Date; daysAhead: number; homeZone: string; afterId: string | null; limit: number },
): Promise<DueAhead[]> => {
  const { rows } = await db.query<DueAhead>(
    // why: every zone's today is within a day of UTC's; the range lets the partial index on due_date do the scan.
    `select d.id as "dueId", d.policy_id as "policyId", t.today::text as today
       from premium_dues d ${joinPolicySql('p', 'd.policy_id')} ${joinHolderSql('ph', 'p.policyholder_id')}
       cross join lateral (select ($1::timestamptz at time zone coalesce(ph.time_zone, $3))::date as today) t
      where d.status = 'open' and d.due_date between ($1::timestamptz at time zone 'UTC')::date + $2::int - 1
                                                 and ($1::timestamptz at time zone 'UTC')::date + $2::int + 1
        and d.due_date = t.today + $2::int and ($4::uuid is null or d.id > $4::uuid)
      order by d.id limit $5`,
    [o.now, o.daysAhead, o.homeZone, o.afterId, o.limit],
  );
  return rows;
};
