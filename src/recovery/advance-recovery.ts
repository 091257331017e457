import { nextRecoveryStep, type RecoveryNext } from './plan-recovery.js';
import type { PlannedStep, RecoveryFacts, StepRecord } from './recovery-facts.js';
import type { RecoverySchedule } from './recovery-schedule-config.js';

/** What waking a due's recovery at `now` decides: the steps due by then, the history with them, and what comes next. */
export type RecoveryAdvance = { decisions: PlannedStep[]; history: StepRecord[]; next: RecoveryNext };

/**
 * Takes every step due by `now`, in order: each is run or skipped (recorded at
 * `now`, replacing a deferral), then the plan is made again with it done, so a
 * cancellation is followed at once by its reinstatement offer and a worker down
 * for days catches up without repeating a step. Stops at the first step still
 * in the future, or at how the recovery ends. Pure.
 */
export const advanceRecovery = (schedule: RecoverySchedule, facts: RecoveryFacts, history: readonly StepRecord[], now: string): RecoveryAdvance => {
  const decisions: PlannedStep[] = [];
  let done = [...history];
  const nowMs = Date.parse(now);
  for (;;) {
    const next = nextRecoveryStep(schedule, facts, done);
    if ((next.type !== 'run' && next.type !== 'skip') || Date.parse(next.at) > nowMs) return { decisions, history: done, next };
    decisions.push(next);
    // why: each pass finishes one more step of the schedule, so the loop ends within its length.
    done = [...done.filter((r) => r.stepId !== next.stepId), { stepId: next.stepId, outcome: next.type === 'run' ? 'done' : 'skipped', at: now }];
  }
};
