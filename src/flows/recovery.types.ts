import type { RecoveryFacts, StepRecord } from '../recovery/recovery-facts.js';
import type { RecoveryNext } from '../recovery/plan-recovery.js';
import type { RecoverySchedule } from '../recovery/recovery-schedule-config.js';

/**
 * Types of one due's failed-debit recovery flow. The machine is pure: the job
 * that wakes it loads the due's facts (payment, consent, card attempts) and
 * passes them in the event; the planner (src/recovery) decides each step.
 */

/** What starts a recovery: the due, and the schedule it follows to the end (a later change of the file does not move it). */
export type RecoveryInput = { dueId: string; policyId: string; schedule: RecoverySchedule };

export type RecoveryContext = RecoveryInput & {
  /** Steps done, skipped or deferred so far. */
  history: StepRecord[];
  /** What comes next as of the last wake (null before the first). */
  next: RecoveryNext | null;
  /** The time of the last wake. */
  wokeAt: string | null;
  /** The time of the wake last queued for the next step: a wake for a time already queued is not queued twice. */
  wakeAt: string | null;
};

/**
 * `WAKE`: a step's time came, or a fact changed (a payment on any channel, a
 * consent); `now` is the clock's ISO time. `STEP_DEFERRED`: the contact engine
 * put a step off (quiet hours, caps) until `until`; it runs then, never dropped.
 */
export type RecoveryEvent =
  | { type: 'WAKE'; facts: RecoveryFacts; now: string }
  | { type: 'STEP_DEFERRED'; stepId: string; at: string; until: string };
