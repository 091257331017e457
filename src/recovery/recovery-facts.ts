import type { RECOVERY_CHANNELS } from '../jobs/contracts/recovery-step.job.js';
import type { DeclineVerdict } from '../payments/classify-decline.js';
import type { CardAttempt } from '../payments/card-retry-limits.js';
import type { RecoveryStepKind } from './recovery-schedule-config.js';

/** What the planner knows of one failed due. Instants are ISO 8601 strings; money in integer cents. */
export type RecoveryFacts = {
  /** When the charge failed: day 0 of the schedule. */
  failedAt: string;
  /** The end of grace: the policy is cancelled at this instant unless paid. */
  graceEndsAt: string;
  /** The customer's IANA time zone; days and local times of the schedule are counted in it. */
  zone: string;
  amountCents: number;
  currency: string;
  /** `classifyDecline`'s verdict on the failure. */
  decline: DeclineVerdict;
  /** The card on file: its network and every charge made on it (the failed one included). */
  card: { network: string | null; attempts: readonly CardAttempt[] };
  /** The customer's coming paydays as local dates ("2026-12-15"), when known; empty otherwise. */
  paydays: readonly string[];
  /** Whether the customer may be texted and called. */
  consent: { sms: boolean; voice: boolean };
  /** The customer asked to speak to a person (their calls go to a human caller). */
  askedForPerson: boolean;
  /** When the due was paid on any channel; null while unpaid. */
  paidAt: string | null;
};

/**
 * What happened to a step: run (`done`), passed over (`skipped`), or put off
 * by the contact engine until `until` (`deferred`, quiet hours or caps).
 */
export type StepRecord =
  | { stepId: string; outcome: 'done' | 'skipped'; at: string }
  | { stepId: string; outcome: 'deferred'; at: string; until: string };

/** How a step reaches the customer (the step job's contract lists them). */
export type RecoveryChannel = (typeof RECOVERY_CHANNELS)[number];

/**
 * One step of the plan. `run`: at `at`, do `does` (the step's own kind, or what
 * replaces it, e.g. a pay link for a charge the bank will refuse) on `channel`;
 * `why` says what changed and why, null when the step runs as configured.
 * `skip`: the step will not run, for the reason in `why`.
 */
export type PlannedStep =
  | { type: 'run'; stepId: string; kind: RecoveryStepKind; at: string; does: RecoveryStepKind; channel: RecoveryChannel; why: string | null }
  | { type: 'skip'; stepId: string; kind: RecoveryStepKind; at: string; why: string };

/**
 * Where one due's recovery stands: `active` with its pending steps in time
 * order; `paid` before cancellation (stop everything); `reinstate` (paid
 * within the reinstatement window, or before a cancellation that went ahead); `closed` at `closesAt` once nothing is left to do.
 */
export type RecoveryPlan = {
  status: 'active' | 'paid' | 'reinstate' | 'closed';
  steps: PlannedStep[];
  /** When the recovery ends if nothing more happens: the end of the reinstatement window, or of grace. */
  closesAt: string;
  why: string | null;
};
