import type { Db } from '../db/pool.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import type { PaymentsDeps } from '../payments/payments-deps.js';
import type { Clock } from '../shared/clock.js';
import type { MachineRegistry } from '../turns/machine-registry.js';
import type { RecoverySchedule } from './recovery-schedule-config.js';

/** What running failed-debit recoveries needs (the worker's jobs). */
export type RecoveryDeps = {
  db: Db;
  clock: Clock;
  /** Hands committed outbox rows to BullMQ (the relay sends them otherwise). */
  dispatch: (rows: OutboxRow[]) => void;
  machines: MachineRegistry;
  /** RECOVERY_SCHEDULE_FILE, checked at start; a recovery keeps the schedule it started with. */
  schedule: RecoverySchedule;
  /** GRACE_PERIOD_DAYS. */
  graceDays: number;
  /** The insurer's zone: the calendar of a holder without a zone of their own. */
  homeZone: string;
  /** The number texts and calls come from. */
  fromNumber: string;
  /** Charges (a retry on the card on file). */
  payments: PaymentsDeps;
  /** Texts a step sends, as notices (src/notices, wired in src/runtime). */
  queueNotice: QueueRecoveryNotice;
};

/** The notices recovery's texts are (src/notices/notice-kinds.ts). */
export type RecoveryNotice = 'payment-failed' | 'pending-cancellation' | 'cancelled' | 'reinstatement-offer';

/**
 * Port: queues a notice about a due through the contact engine, once per due, kind and the holder's
 * `day` (a re-run of the step finds it), dispatched at once; its job's id, or null when queued before.
 */
export type QueueRecoveryNotice = (n: {
  notice: RecoveryNotice; dueId: string; policyId: string; policyholderId: string; to: string | null; day: string; now: Date;
}) => Promise<string | null>;
