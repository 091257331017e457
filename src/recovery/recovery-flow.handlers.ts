import { EvidenceType } from '../evidence/evidence-event.js';
import type { recoveryFinishJob } from '../jobs/contracts/recovery-finish.job.js';
import { recoveryWakeJob } from '../jobs/contracts/recovery-wake.job.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { cancelQueuedJobs } from '../jobs/cancel-queued-jobs.js';
import type { startRecoveryJob } from '../payments/payment-jobs.js';
import { findRecoveryDue } from '../payments/find-recovery-due.js';
import { reinstatePolicy } from '../policies/change-policy-terms.js';
import type { RecoveryDeps } from './recovery-deps.js';
import { cancelRecoveryTasks } from './recovery-tasks.js';
import { recordRecoveryFinished, recordRecoveryStarted } from './recovery-record.js';
import { runRecoveryTurn } from './run-recovery-turn.js';

/**
 * `recovery.start`, after payments marked the due failed: the due's recovery flow begins (its
 * session and interaction, the schedule as it is now) and wakes at once, so its first steps run.
 * Once per failure: a re-run of the job replays the turn.
 */
export const createStartRecoveryFlowHandler =
  (deps: RecoveryDeps): JobHandler<typeof startRecoveryJob> =>
  async (job) => {
    const { dueId } = job.payload;
    const started = {
      type: EvidenceType.RECOVERY_STARTED,
      payload: {
        dueId, declineClass: job.payload.declineClass ?? null, attemptId: job.payload.attemptId ?? null,
        schedule: deps.schedule.steps.map((s) => ({ id: s.id, kind: s.kind })), graceDays: deps.graceDays,
      },
    };
    const due = await findRecoveryDue(deps.db, dueId);
    if (!due) return;
    const now = deps.clock.now();
    // why: before the first turn, whose step jobs record themselves on this row.
    await recordRecoveryStarted(deps.db, {
      dueId, policyId: due.policyId, startedAt: now, failedAt: due.failure?.firstAt ?? now, amountCents: due.amountCents, currency: due.currency,
    });
    await runRecoveryTurn(deps, dueId, { type: 'WAKE' }, `job:${job.id}`, [started]);
  };

/** `recovery.wake`: a step's time came, or a fact changed (a payment): the flow reads the due's facts again and moves on. */
export const createWakeRecoveryHandler =
  (deps: RecoveryDeps): JobHandler<typeof recoveryWakeJob> =>
  async (job) => {
    await runRecoveryTurn(deps, job.payload.dueId, { type: 'WAKE' }, `job:${job.id}`);
  };

/**
 * `recovery.finish`: paid before the end of grace (tasks for human callers are cancelled), reinstated
 * (paid within the window after lapsing: the policy is reinstated) or closed unpaid; each with why.
 */
export const createFinishRecoveryHandler =
  (deps: Pick<RecoveryDeps, 'db' | 'clock'>): JobHandler<typeof recoveryFinishJob> =>
  async (job) => {
    const { dueId, outcome, why } = job.payload;
    const now = deps.clock.now();
    const tasksCancelled = await cancelRecoveryTasks(deps.db, dueId, now);
    // why: a step's outcome (a call ending) may queue the next wake just after a payment cancelled the due's
    // jobs and before the flow stopped; the flow has ended, so no wake of it may stay queued.
    const wakesCancelled = await cancelQueuedJobs(deps.db, { correlation: `due:${dueId}`, topic: recoveryWakeJob.topic, at: now });
    const facts: Record<string, unknown> = { dueId, outcome, why, tasksCancelled, ...(wakesCancelled ? { wakesCancelled } : {}) };
    const due = await findRecoveryDue(deps.db, dueId);
    if (outcome === 'reinstated') facts.reinstated = due ? await reinstatePolicy(deps.db, due.policyId, now) : false;
    const paid = outcome !== 'closed' && due?.status === 'paid';
    await recordRecoveryFinished(deps.db, dueId, { outcome, at: now, paidChannel: paid ? due.paidChannel : null, paidAt: paid ? due.paidAt : null });
    if (paid) facts.paidChannel = due.paidChannel;
    return { evidence: [{ type: EvidenceType.RECOVERY_FINISHED, payload: facts }] };
  };
