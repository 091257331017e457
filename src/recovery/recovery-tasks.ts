import type { Queryable } from '../db/pool.js';
import { newId } from '../shared/ids.js';

/** A task for a human caller: a due whose recovery call a person should make, and why. */
export type RecoveryTask = {
  id: string; dueId: string; policyId: string; stepId: string; reason: string; failure: string;
  status: 'open' | 'claimed' | 'done' | 'cancelled'; claimedBy: string | null; createdAt: Date;
};

const COLUMNS = `id, due_id as "dueId", policy_id as "policyId", step_id as "stepId", reason, failure, status, claimed_by as "claimedBy", created_at as "createdAt"`;

/** Opens the task for a due's step, once (a re-run finds it); returns it and whether this call opened it. */
export const openRecoveryTask = async (
  db: Queryable, t: { dueId: string; policyId: string; stepId: string; reason: string; failure: string }, now: Date,
): Promise<{ task: RecoveryTask; opened: boolean }> => {
  const { rows: [row] } = await db.query<RecoveryTask & { opened: boolean }>(
    `insert into recovery_tasks (id, due_id, policy_id, step_id, reason, failure, created_at) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (due_id, step_id) do update set step_id = excluded.step_id
     returning ${COLUMNS}, (xmax = 0) as opened`,
    [newId(), t.dueId, t.policyId, t.stepId, t.reason, t.failure, now],
  );
  const { opened, ...task } = row!;
  return { task, opened };
};

/** Cancels a due's tasks still open or claimed (the due was paid, the recovery ended); how many. */
export const cancelRecoveryTasks = async (db: Queryable, dueId: string, now: Date): Promise<number> =>
  (await db.query(`update recovery_tasks set status = 'cancelled', closed_at = $2 where due_id = $1 and status in ('open', 'claimed')`, [dueId, now])).rowCount ?? 0;

/** One task by id, or null. */
export const findRecoveryTask = async (db: Queryable, id: string): Promise<RecoveryTask | null> =>
  (await db.query<RecoveryTask>(`select ${COLUMNS} from recovery_tasks where id = $1`, [id])).rows[0] ?? null;

/** Claims an open task for `by` (one person at a time; claiming it again is fine); the task as it is after, or null when someone else holds it or it is closed. */
export const claimRecoveryTask = async (db: Queryable, id: string, by: string, now: Date): Promise<RecoveryTask | null> =>
  (await db.query<RecoveryTask>(
    `update recovery_tasks set status = 'claimed', claimed_by = $2, claimed_at = coalesce(claimed_at, $3)
      where id = $1 and (status = 'open' or (status = 'claimed' and claimed_by = $2)) returning ${COLUMNS}`, [id, by, now],
  )).rows[0] ?? null;

/** Closes a task its holder worked (`done`); null when it is not theirs or not claimed. */
export const closeRecoveryTask = async (db: Queryable, id: string, by: string, now: Date): Promise<RecoveryTask | null> =>
  (await db.query<RecoveryTask>(
    `update recovery_tasks set status = 'done', closed_at = $3 where id = $1 and status = 'claimed' and claimed_by = $2 returning ${COLUMNS}`, [id, by, now],
  )).rows[0] ?? null;

/** Whether the customer asked for a person about this due (a task opened for that reason). */
export const askedForPerson = async (db: Queryable, dueId: string): Promise<boolean> =>
  (await db.query(`select 1 from recovery_tasks where due_id = $1 and reason = $2 limit 1`, [dueId, ASKED_FOR_PERSON])).rowCount === 1;

/** The reason of a task opened because the customer asked to speak to a person. */
export const ASKED_FOR_PERSON = 'the customer asked for a person';

/** Tasks by status, oldest first: the human callers' list. */
export const listRecoveryTasks = async (db: Queryable, f: { status: RecoveryTask['status'] | null; limit: number }): Promise<RecoveryTask[]> =>
  (await db.query<RecoveryTask>(
    `select ${COLUMNS} from recovery_tasks where ($1::text is null or status = $1) order by created_at, id limit $2`, [f.status, f.limit],
  )).rows;
