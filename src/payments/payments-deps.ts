import type { Db } from '../db/pool.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import type { Clock } from '../shared/clock.js';
import type { ClassifyOptions } from './classify-decline.js';
import type { PaymentGateway } from './payment-gateway.js';

/** What every payments use-case receives. */
export type PaymentsDeps = {
  db: Db;
  clock: Clock;
  gateway: PaymentGateway;
  /** Hands committed outbox rows to BullMQ; without it the relay picks them up. */
  dispatch?: (rows: OutboxRow[]) => void;
  config: PaymentsConfig;
};

export type PaymentsConfig = {
  /** Days after inception within which a cancellation is refunded in full (default 30). */
  freeLookDays: number;
  /** Base URL customers reach us on (pay-link landing pages). */
  publicBaseUrl: string;
  insurerName: string;
  /** How long one caller owns a pending charge before another may resume it (default 2 min). */
  chargeLeaseMs?: number;
  /** How long a charge made while the customer waits has to text its own receipt before the settlement's fallback does (default 60 s). */
  receiptFallbackMs?: number;
  decline?: ClassifyOptions;
};
