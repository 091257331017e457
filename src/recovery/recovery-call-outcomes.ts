import type { Queryable } from '../db/pool.js';
import { findRecoveryDue } from '../payments/find-recovery-due.js';
import type { OnRecoveryCallOutcome } from '../recovery-call/recovery-call-deps.js';
import type { Clock } from '../shared/clock.js';
import { ASKED_FOR_PERSON, openRecoveryTask } from './recovery-tasks.js';

/**
 * What recovery does with how a recovery call ended (the call's own webhooks report it once): a
 * customer who pressed 0 asked for a person, so a task for a human caller is opened at once, and the
 * rest of the due's calls go to people. A payment on the call stops the recovery through payments;
 * a voicemail, no answer or busy leaves the schedule as it is (its next step comes on its day).
 */
export const createRecoveryCallOutcomes = (deps: { db: Queryable; clock: Clock }): OnRecoveryCallOutcome => async (ended) => {
  if (ended.outcome !== 'person-asked') return;
  const due = await findRecoveryDue(deps.db, ended.dueId);
  if (!due) return;
  await openRecoveryTask(deps.db, {
    dueId: due.dueId, policyId: due.policyId, stepId: `${ended.stepId}:asked`, reason: ASKED_FOR_PERSON,
    failure: due.failure?.verdict.reason ?? 'The bank gave no reason.',
  }, deps.clock.now());
};
