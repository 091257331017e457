import type { Queryable } from '../db/pool.js';

/** Records a due's recovery as begun (once: a re-run of its start finds it). */
export const recordRecoveryStarted = async (
  db: Queryable, r: { dueId: string; policyId: string; startedAt: Date; failedAt: Date; amountCents: number; currency: string },
): Promise<void> => {
  await db.query(
    `insert into recoveries (due_id, policy_id, started_at, failed_at, amount_cents, currency) values ($1, $2, $3, $4, $5, $6)
     on conflict (due_id) do nothing`,
    [r.dueId, r.policyId, r.startedAt, r.failedAt, r.amountCents, r.currency],
  );
};

/** Records a step run (once per step: a re-run of its job changes nothing). */
export const recordRecoveryStep = async (db: Queryable, dueId: string, stepId: string): Promise<void> => {
  await db.query(
    `update recoveries set steps_done = array_append(steps_done, $2), last_step_id = $2 where due_id = $1 and not ($2 = any(steps_done))`,
    [dueId, stepId],
  );
};

/** Records how a recovery ended (the first ending counts). */
export const recordRecoveryFinished = async (
  db: Queryable, dueId: string, f: { outcome: 'paid' | 'reinstated' | 'closed'; at: Date; paidChannel: string | null; paidAt: Date | null },
): Promise<void> => {
  await db.query(
    `update recoveries set outcome = $2, finished_at = $3, paid_channel = $4, paid_at = $5 where due_id = $1 and outcome is null`,
    [dueId, f.outcome, f.at, f.paidChannel, f.paidAt],
  );
};
