import type { Db } from '../../db/pool.js';
import type { OutboxRow } from '../../jobs/outbox-rows.js';
import type { Clock } from '../../shared/clock.js';

/** What the transfer's webhooks need: the database, the clock, and a way to hand queued jobs to the worker. */
export type TransferWebDeps = {
  db: Db;
  clock: Clock;
  /** Hands committed outbox rows to BullMQ (the relay sends them otherwise). */
  dispatch: (rows: OutboxRow[]) => void;
};

/**
 * Seconds a specialist's phone rings before the next one is tried (TRANSFER_RING_SECONDS), and the
 * seconds after the whisper that they have to press a key. A leg not accepted by then is passed over.
 */
export type TransferTimings = {
  ringSeconds: number;
  acceptSeconds: number;
  /** CALLBACK_RETRY_MINUTES: how long after a missed callback attempt the one retry is made. */
  callbackRetryMinutes?: number;
};

/** TRANSFER_RING_SECONDS, TRANSFER_ACCEPT_SECONDS and CALLBACK_RETRY_MINUTES as configured by default. */
export const DEFAULT_TRANSFER_TIMINGS = { ringSeconds: 20, acceptSeconds: 10, callbackRetryMinutes: 30 } as const satisfies TransferTimings;

/** The longest a leg can take from dialling to accepting (ring, whisper, keypress), with a margin for a late status callback. */
export const legDeadlineMs = (t: TransferTimings) => (t.ringSeconds + WHISPER_ALLOWANCE_SECONDS + t.acceptSeconds) * 1000;

/** About how long the whisper itself takes to say. */
const WHISPER_ALLOWANCE_SECONDS = 30;
