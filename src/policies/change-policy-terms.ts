import type { Queryable } from '../db/pool.js';

/**
 * A new tier, sum insured and premium, applied only while the policy still has
 * the terms the offer was priced from (`from`) and is not cancelled. Returns
 * whether it changed. Run inside the caller's transaction.
 */
export const changePolicyTerms = async (
  db: Queryable, policyId: string,
  from: { coverageTier: string; sumInsuredCents: number; premiumCents: number },
  to: { coverageTier: string; sumInsuredCents: number; premiumCents: number }, now: Date,
): Promise<boolean> => {
  const r = await db.query(
    `update policies set coverage_tier = $5, sum_insured_cents = $6, premium_cents = $7, updated_at = $8
      where id = $1 and coverage_tier = $2 and sum_insured_cents = $3 and premium_cents = $4 and status <> 'cancelled'`,
    [policyId, from.coverageTier, from.sumInsuredCents, from.premiumCents, to.coverageTier, to.sumInsuredCents, to.premiumCents, now],
  );
  return r.rowCount === 1;
};

/** Moves the policy's next due date (a moved or skipped instalment) when it is still `from`. */
export const moveNextDueDate = async (db: Queryable, policyId: string, from: string, to: string, now: Date): Promise<boolean> => {
  const r = await db.query(
    `update policies set next_due_date = $3::date, updated_at = $4 where id = $1 and next_due_date = $2::date and status <> 'cancelled'`,
    [policyId, from, to, now],
  );
  return r.rowCount === 1;
};

/** Cancels a policy; false when it was cancelled already (a second cancellation changes nothing). */
export const markPolicyCancelled = async (db: Queryable, policyId: string, now: Date): Promise<boolean> => {
  const r = await db.query(`update policies set status = 'cancelled', updated_at = $2 where id = $1 and status <> 'cancelled'`, [policyId, now]);
  return r.rowCount === 1;
};

/** Lapses a policy unpaid at the end of grace; false when it was not active or in grace (cancelled already, say). */
export const markPolicyLapsed = async (db: Queryable, policyId: string, now: Date): Promise<boolean> => {
  const r = await db.query(`update policies set status = 'lapsed', updated_at = $2 where id = $1 and status in ('active', 'grace', 'reinstated')`, [policyId, now]);
  return r.rowCount === 1;
};

/** Reinstates a lapsed policy (its overdue premium paid within the reinstatement window); false when it was not lapsed. */
export const reinstatePolicy = async (db: Queryable, policyId: string, now: Date): Promise<boolean> => {
  const r = await db.query(`update policies set status = 'reinstated', updated_at = $2 where id = $1 and status = 'lapsed'`, [policyId, now]);
  return r.rowCount === 1;
};

/** Opens a mis-selling complaint on the policy (kept when one is open already); returns when it was opened. */
export const openComplaint = async (db: Queryable, policyId: string, now: Date): Promise<Date | null> => {
  const { rows } = await db.query<{ at: Date }>(
    `update policies set complaint_opened_at = coalesce(complaint_opened_at, $2), updated_at = $2 where id = $1 returning complaint_opened_at as at`,
    [policyId, now],
  );
  return rows[0]?.at ?? null;
};
