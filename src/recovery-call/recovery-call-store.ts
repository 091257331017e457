import type { Queryable } from '../db/pool.js';
import type { RecoveryCallRef } from './recovery-call-paths.js';
import type { RecoveryCallOutcome } from './recovery-call-deps.js';

/** What a call achieved while it lasted (the outcome, unless it ends otherwise). */
export type RecoveryCallResult = 'paid' | 'link-sent' | 'voicemail' | 'person-asked' | 'failed';

/** A recovery call as stored. */
export type RecoveryCallRow = { callSid: string; dueId: string; stepId: string; answeredBy: string | null; result: RecoveryCallResult | null; outcome: RecoveryCallOutcome | null };

/** Records a call placed (or first heard of on one of its webhooks, which may come before the create returns): once. */
export const saveRecoveryCall = async (q: Queryable, call: { callSid: string; ref: RecoveryCallRef; to: string | null; from: string | null }, at: Date): Promise<void> => {
  await q.query(
    `insert into recovery_calls (call_sid, due_id, step_id, locale, to_e164, from_e164, created_at) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (call_sid) do nothing`,
    [call.callSid, call.ref.dueId, call.ref.stepId, call.ref.locale, call.to, call.from, at],
  );
};

/** Notes that a key was pressed on the call: a person is there. */
export const markKeyed = async (q: Queryable, callSid: string): Promise<void> => {
  await q.query('update recovery_calls set keyed = true where call_sid = $1 and not keyed', [callSid]);
};

/**
 * Sets what the call achieved. What a machine verdict decides (`voicemail`, `failed` for a fax) never
 * applies to a call on which a key was pressed or that achieved something already (a person answered,
 * whatever a late verdict says); a person's later choice overrides an earlier one. Returns whether it changed.
 */
export const setCallResult = async (q: Queryable, callSid: string, result: RecoveryCallResult, o: { byMachineVerdict?: boolean } = {}): Promise<boolean> => {
  const { rowCount } = await q.query(
    `update recovery_calls set result = $2 where call_sid = $1 and outcome is null${o.byMachineVerdict ? ' and result is null and not keyed' : ''}`,
    [callSid, result],
  );
  return (rowCount ?? 0) > 0;
};

export const setAnsweredBy = async (q: Queryable, callSid: string, answeredBy: string): Promise<void> => {
  await q.query('update recovery_calls set answered_by = $2 where call_sid = $1', [callSid, answeredBy]);
};

export const findRecoveryCall = async (q: Queryable, callSid: string): Promise<RecoveryCallRow | null> => {
  const { rows } = await q.query<RecoveryCallRow>(
    `select call_sid as "callSid", due_id as "dueId", step_id as "stepId", answered_by as "answeredBy", result, outcome from recovery_calls where call_sid = $1`,
    [callSid],
  );
  return rows[0] ?? null;
};

/**
 * Stores the outcome of a call that ended, once: `ended` null (a completed call) takes what the call
 * achieved, or `hung-up`; otherwise `ended` itself. Null when the outcome was stored already (a
 * repeated callback) or the call is unknown.
 */
export const storeOutcome = async (q: Queryable, callSid: string, ended: RecoveryCallOutcome | null, at: Date): Promise<RecoveryCallRow | null> => {
  const { rows } = await q.query<RecoveryCallRow>(
    `update recovery_calls set outcome = coalesce($2, result, 'hung-up'), outcome_at = $3 where call_sid = $1 and outcome is null
     returning call_sid as "callSid", due_id as "dueId", step_id as "stepId", answered_by as "answeredBy", result, outcome`,
    [callSid, ended, at],
  );
  return rows[0] ?? null;
};
