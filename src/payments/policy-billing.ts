import type { Queryable } from '../db/pool.js';

/** What retention reads of a policy's billing: its earliest owed due and its recent declines. Dates 'YYYY-MM-DD'. */
export type PolicyBilling = {
  openDue: { dueId: string; dueDate: string; amountCents: number } | null;
  /** Declined payments in the twelve months before `now`. */
  declinedLastYear: number;
};

/** The policy's earliest due still owed (open or failed) and its declines in the last year, in one query. */
export const findPolicyBilling = async (db: Queryable, policyId: string, now: Date): Promise<PolicyBilling> => {
  const { rows } = await db.query<{ due: PolicyBilling['openDue']; declined: number }>(
    `select (select json_build_object('dueId', d.id, 'dueDate', d.due_date::text, 'amountCents', d.amount_cents)
               from premium_dues d where d.policy_id = $1 and d.status in ('open', 'failed') order by d.due_date limit 1) as due,
            (select count(*)::int from payment_attempts a join premium_dues d on d.id = a.due_id
              where d.policy_id = $1 and a.status = 'failed' and a.created_at > $2::timestamptz - interval '12 months') as declined`,
    [policyId, now],
  );
  return { openDue: rows[0]?.due ?? null, declinedLastYear: rows[0]?.declined ?? 0 };
};

/**
 * New premium on every owed due from `fromDate` on (a downgrade); returns how
 * many changed. Inside the caller's transaction.
 */
export const repriceOwedDues = async (db: Queryable, policyId: string, fromDate: string, amountCents: number): Promise<number> => {
  const r = await db.query(
    `update premium_dues set amount_cents = $3 where policy_id = $1 and due_date >= $2::date and status in ('open', 'failed')`,
    [policyId, fromDate, amountCents],
  );
  return r.rowCount ?? 0;
};

/**
 * Moves an owed due to another date with the amount given (a new payment date,
 * or a skipped instalment paid with the next), only while it is still owed, on
 * `fromDate`, for `fromAmountCents`. Returns whether it moved.
 */
export const moveOwedDue = async (
  db: Queryable, dueId: string, from: { date: string; amountCents: number }, to: { date: string; amountCents: number },
): Promise<boolean> => {
  const r = await db.query(
    `update premium_dues set due_date = $4::date, amount_cents = $5
      where id = $1 and due_date = $2::date and amount_cents = $3 and status in ('open', 'failed')`,
    [dueId, from.date, from.amountCents, to.date, to.amountCents],
  );
  return r.rowCount === 1;
};

/** A cancelled policy owes nothing more: its owed dues are voided. Returns their ids. */
export const voidOwedDues = async (db: Queryable, policyId: string): Promise<string[]> => {
  const { rows } = await db.query<{ id: string }>(
    `update premium_dues set status = 'void' where policy_id = $1 and status in ('open', 'failed') returning id`,
    [policyId],
  );
  return rows.map((r) => r.id);
};
