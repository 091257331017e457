import type { Db } from '../db/pool.js';
import type { PromptCatalog } from '../ivr/prompts/prompt-catalog.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import type { Clock } from '../shared/clock.js';
import type { CallControl } from '../telephony/call-control.js';

/**
 * How a recovery call ended, reported once per call when its last status callback arrives:
 * - `paid`: a person pressed 1 and the card on file was charged (or the due was found paid);
 * - `link-sent`: a person pressed 2 and the pay link was queued to their number;
 * - `person-asked`: a person pressed 0 (a human should call them back);
 * - `voicemail`: a machine answered and got the voicemail (callback number only);
 * - `hung-up`: answered, but nothing of the above happened before the call ended;
 * - `no-answer` (also a call canceled while ringing), `busy`, `failed`: never answered.
 */
export type RecoveryCallOutcome = 'paid' | 'link-sent' | 'voicemail' | 'no-answer' | 'busy' | 'failed' | 'hung-up' | 'person-asked';

/** A recovery call that ended: which due and recovery step it served, the call, and its outcome. */
export type RecoveryCallEnded = { dueId: string; stepId: string; callSid: string; outcome: RecoveryCallOutcome };

/**
 * Port the recovery flow supplies to learn how its calls ended. Called at most once per call, in the
 * transaction that stores the outcome; the jobs it returns (e.g. the recovery's next wake) are written
 * in that same transaction, on the call's interaction, and dispatched after commit, so the outcome
 * and what follows from it commit together or not at all. A throw rolls both back (the callback is
 * answered with an error and a later one reports it again). Keep it to deciding jobs: no calls out.
 */
export type OnRecoveryCallOutcome = (ended: RecoveryCallEnded) => Promise<OutboxRow[] | void>;

/**
 * What the web process lends the recovery call's webhooks: the Calls API (to move a call answered by
 * a machine to its voicemail) and the recovery flow's outcome port. Read on every request, so they
 * may be set after the app is built; absent, a machine's call goes on with its menu and outcomes are
 * only recorded.
 */
export type RecoveryCallPorts = { calls?: CallControl; onOutcome?: OnRecoveryCallOutcome };

/** What the recovery call's webhooks need. */
export type RecoveryCallWebDeps = {
  db: Db;
  clock: Clock;
  /** Hands committed outbox rows to BullMQ (the relay sends them otherwise). */
  dispatch: (rows: OutboxRow[]) => void;
  prompts: PromptCatalog;
  insurerName: string;
  publicBaseUrl: string;
  /** GRACE_PERIOD_DAYS and the insurer's zone, as the IVR reads a due (the card on file comes with it). */
  graceDays: number;
  homeZone: string;
  ports: RecoveryCallPorts;
};
