import path from 'node:path';
import { z } from 'zod';
import { parseBusinessHours, type BusinessHours } from '../shared/business-hours.js';

/**
 * The gateway's configuration, parsed once from the environment at start.
 * Nothing else in the code base reads `process.env`: every module receives
 * the parts of this object it needs.
 */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

/** Days after a premium's due date in which it may still be paid before the policy is cancelled. */
export const DEFAULT_GRACE_PERIOD_DAYS = 30;

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_BASE_URL: optionalString.pipe(z.url().optional()),
  DATABASE_URL: optionalString,
  REDIS_URL: optionalString,
  DATA_DIR: z.string().default('./data'),
  TWILIO_ACCOUNT_SID: optionalString,
  TWILIO_AUTH_TOKEN: optionalString,
  TWILIO_FROM_NUMBER: optionalString,
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  TWILIO_API_URL: optionalString.pipe(z.url().optional()),
  STRIPE_API_URL: optionalString.pipe(z.url().optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO_DATA: z
    .enum(['auto', 'on', 'off'])
    .default('auto'),
  INSURER_NAME: z.string().default('Harbor Mutual'),
  INSURER_WEBSITE: optionalString.pipe(z.url().optional()),
  DUE_REMINDER_DAYS: z.coerce.number().int().min(0).max(60).default(3),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  GATEWAY_INTERNAL_URL: optionalString.pipe(z.url().optional()),
  BUSINESS_HOURS: z.string().default('America/New_York Mon-Fri 08:00-20:00; Sat 09:00-13:00'),
  TWILIO_PAY_CONNECTOR: z.string().min(1).default('Default'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(32),
  WORKER_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  FREE_LOOK_DAYS: z.coerce.number().int().min(0).max(365).default(30),
  GRACE_PERIOD_DAYS: z.coerce.number().int().min(0).max(365).default(DEFAULT_GRACE_PERIOD_DAYS),
  HOLD_MUSIC_URL: z.url().default('https://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3'),
  EVIDENCE_SIGNING_KEY: optionalString,
  EVIDENCE_LOG_ORIGIN: optionalString.pipe(z.string().regex(/^[^\s+]+$/, 'no spaces or +').optional()),
  EVIDENCE_SEQUENCER_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  PAYMENTS_RECONCILE_INTERVAL_MS: z.coerce.number().int().min(1000).default(300_000),
  PAYMENTS_CHARGE_LEASE_MS: z.coerce.number().int().min(1000).default(120_000),
  PAYMENTS_RECEIPT_FALLBACK_MS: z.coerce.number().int().min(1000).default(60_000),
  OUTBOX_RELAY_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  OUTBOX_LOST_JOB_AFTER_MS: z.coerce.number().int().min(1_000).default(60_000),
  CONTACT_POLICY_FILE: optionalString,
  RETENTION_OFFERS_FILE: optionalString,
  RECOVERY_SCHEDULE_FILE: optionalString,
  DEBIT_RUN: z.enum(['on', 'off'], 'DEBIT_RUN must be on or off').default('off'),
  RECOVERY_CALLS_PER_SECOND: z.coerce.number().positive().max(100).default(1),
  TRANSFER_RING_SECONDS: z.coerce.number().int().min(5).max(120).default(20),
  TRANSFER_ACCEPT_SECONDS: z.coerce.number().int().min(3).max(60).default(10),
  CALLBACK_RETRY_MINUTES: z.coerce.number().int().min(5).max(1440).default(30),
  SMS_QUOTE_WINDOW_MINUTES: z.coerce.number().int().min(1).max(60).default(10),
});

export type Config = {
  port: number;
  host: string;
  /** Base URL Twilio uses to reach us; signatures are validated against it. */
  publicBaseUrl: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  dataDir: string;
  twilio: {
    accountSid: string | undefined;
    authToken: string | undefined;
    fromNumber: string | undefined;
    /** Another host for Twilio's REST API (a loopback fake in the fault tests); unset: Twilio's. */
    apiUrl: string | undefined;
  };
  /** `apiUrl`: another host for Stripe's API (stripe-mock, a loopback fake); unset: Stripe's. */
  stripe: { secretKey: string | undefined; webhookSecret: string | undefined; apiUrl: string | undefined };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  demoData: 'auto' | 'on' | 'off';
  insurerName: string;
  /** The insurer's website, on the contact card texted with the welcome notice; unset: none on the card. */
  insurerWebsite: string | undefined;
  /** Days before a premium's due date (the holder's calendar) the scheduled due reminder is texted. */
  dueReminderDays: number;
  bodyLimitBytes: number;
  /** How the worker's simulated carrier reaches the web process (default http://127.0.0.1:PORT). */
  internalUrl: string;
  /** When specialists answer (parsed and checked at start). */
  businessHours: BusinessHours;
  /** Unique name of the Stripe Pay Connector installed on the Twilio account, used by <Pay>. */
  payConnector: string;
  /** Outbox jobs one worker process runs at once (they mostly wait on Stripe, Twilio and Postgres). */
  workerConcurrency: number;
  /** Port of the `worker` role's health endpoint (`GET /healthz`), on HOST; 0 picks a free one. */
  workerHealthPort: number;
  /** Where `GET /metrics` listens (the web role), apart from the public webhook port. */
  metrics: { port: number; host: string };
  /** Days after purchase in which a cancellation is refunded in full. */
  freeLookDays: number;
  /** How often workers resolve charges left pending past their lease and compare Stripe's payments with ours. */
  paymentsReconcileIntervalMs: number;
  /** How long the process making a charge owns it; past it, a charge left pending is resolved at Stripe by the reconciliation. */
  paymentsChargeLeaseMs: number;
  /** How long a charge made while the customer waits has to text its receipt before the payment's settlement texts it instead. */
  paymentsReceiptFallbackMs: number;
  /**
   * How often the worker re-sends outbox rows never handed to BullMQ, and after how long a
   * dispatched row still open has its BullMQ job looked up (Redis may have lost it).
   */
  outbox: { relayIntervalMs: number; lostJobAfterMs: number };
  /** Days after a premium's due date in which it may still be paid (callers are told the last one). */
  gracePeriodDays: number;
  /**
   * A JSON file of quiet hours, frequency caps and senders' rates (docs/contact-policy.md); unset:
   * the defaults. Read and checked when a process starts: a bad file stops it with the field named.
   */
  contactPolicyFile: string | undefined;
  /**
   * A JSON file of products (tier ladders, what each allows, its cover in words) and the rules that choose
   * retention offers (docs/retention-offers.md); unset: the built-in ones. Checked at start.
   */
  retentionOffersFile: string | undefined;
  /** RECOVERY_SCHEDULE_FILE: failed-debit recovery's steps over the grace period (the default schedule without one). */
  recoveryScheduleFile: string | undefined;
  /** DEBIT_RUN=on: the worker charges each open due with a card on file off-session on its date, daily at 14:00 UTC. */
  debitRun: boolean;
  /** RECOVERY_CALLS_PER_SECOND: how fast recovery calls are placed, across every worker (Twilio's default is 1 call per second per account). */
  recoveryCallsPerSecond: number;
  /**
   * Warm transfer: seconds a specialist's phone rings before the next one is tried, and seconds
   * after the whisper they have to press 1 (accept) or 2 (decline) before being passed over.
   */
  transfer: { ringSeconds: number; acceptSeconds: number };
  /** How long a payment quoted by text waits for the customer's YES; a later YES gets a fresh quote. */
  smsQuoteWindowMinutes: number;
  /** Audio Twilio plays to callers waiting for a specialist. */
  holdMusicUrl: string;
  evidence: {
    /** Ed25519 key (PKCS#8 PEM or base64 32-byte seed); unset: one generated under DATA_DIR/secrets. */
    signingKey: string | undefined;
    /** Checkpoint origin and signing key name, e.g. `harbor-mutual.retention-gateway/evidence`. */
    origin: string;
    sequencerIntervalMs: number;
  };
};

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'gateway';

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError naming every bad variable. */
export const loadConfig = (env: NodeJS.ProcessEnv): Readonly<Config> => {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  let hours: BusinessHours;
  try {
    hours = parseBusinessHours(e.BUSINESS_HOURS);
  } catch (err) {
    throw new ConfigError(`Invalid configuration:\n  BUSINESS_HOURS: ${(err as Error).message}`);
  }
  const port = e.PORT;
  return Object.freeze({
    port,
    host: e.HOST,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    dataDir: path.resolve(e.DATA_DIR),
    twilio: {
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      fromNumber: e.TWILIO_FROM_NUMBER,
      apiUrl: e.TWILIO_API_URL,
    },
    stripe: { secretKey: e.STRIPE_SECRET_KEY, webhookSecret: e.STRIPE_WEBHOOK_SECRET, apiUrl: e.STRIPE_API_URL },
    logLevel: e.LOG_LEVEL,
    demoData: e.DEMO_DATA,
    insurerName: e.INSURER_NAME,
    insurerWebsite: e.INSURER_WEBSITE,
    dueReminderDays: e.DUE_REMINDER_DAYS,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    holdMusicUrl: e.HOLD_MUSIC_URL,
    businessHours: hours,
    payConnector: e.TWILIO_PAY_CONNECTOR,
    freeLookDays: e.FREE_LOOK_DAYS,
    paymentsReconcileIntervalMs: e.PAYMENTS_RECONCILE_INTERVAL_MS,
    paymentsChargeLeaseMs: e.PAYMENTS_CHARGE_LEASE_MS,
    paymentsReceiptFallbackMs: e.PAYMENTS_RECEIPT_FALLBACK_MS,
    outbox: { relayIntervalMs: e.OUTBOX_RELAY_INTERVAL_MS, lostJobAfterMs: e.OUTBOX_LOST_JOB_AFTER_MS },
    gracePeriodDays: e.GRACE_PERIOD_DAYS,
    smsQuoteWindowMinutes: e.SMS_QUOTE_WINDOW_MINUTES,
    contactPolicyFile: e.CONTACT_POLICY_FILE === undefined ? undefined : path.resolve(e.CONTACT_POLICY_FILE),
    transfer: { ringSeconds: e.TRANSFER_RING_SECONDS, acceptSeconds: e.TRANSFER_ACCEPT_SECONDS, callbackRetryMinutes: e.CALLBACK_RETRY_MINUTES },
    retentionOffersFile: e.RETENTION_OFFERS_FILE === undefined ? undefined : path.resolve(e.RETENTION_OFFERS_FILE),
    recoveryScheduleFile: e.RECOVERY_SCHEDULE_FILE === undefined ? undefined : path.resolve(e.RECOVERY_SCHEDULE_FILE),
    debitRun: e.DEBIT_RUN === 'on',
    recoveryCallsPerSecond: e.RECOVERY_CALLS_PER_SECOND,
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerHealthPort: e.WORKER_HEALTH_PORT,
    metrics: { port: e.METRICS_PORT, host: e.METRICS_HOST },
    evidence: {
      signingKey: e.EVIDENCE_SIGNING_KEY,
      origin: e.EVIDENCE_LOG_ORIGIN ?? `${slug(e.INSURER_NAME)}.retention-gateway/evidence`,
      sequencerIntervalMs: e.EVIDENCE_SEQUENCER_INTERVAL_MS,
    },
    internalUrl: (e.GATEWAY_INTERNAL_URL ?? `http://127.0.0.1:${port}`).replace(/\/+$/, ''),
  });
};
