import { loadRetentionOffers } from '../retention/offers/load-retention-offers.js';
import { loadRecoverySchedule } from '../recovery/load-recovery-schedule.js';
import type { RecoverySchedule } from '../recovery/recovery-schedule-config.js';
import type { RetentionOffers } from '../retention/offers/offer-rules-config.js';
import { Redis } from 'ioredis';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Config } from '../config/config.js';
import { migrate } from '../db/migrate.js';
import { createPool, type Db } from '../db/pool.js';
import type { InfraLogger } from '../infra/infra-logger.js';
import { createOutboxDispatcher, type OutboxDispatcher } from '../jobs/dispatch-outbox.js';
import { createOutboxQueue, type OutboxQueue } from '../jobs/outbox-queue.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { loadOrCreateDevSecret } from '../infra/dev-secrets.js';
import { logConnectionErrors } from '../infra/log-connection-errors.js';
import { redisConnectionOptions } from '../infra/redis-connection.js';
import { createPayments, type Payments } from '../payments/payments-module.js';
import { loadContactSettings, type ContactSettings } from '../contact/load-contact-settings.js';
import { loadNoticeTemplates, type NoticeTemplates } from '../notices/notice-templates.js';
import { formatPhoneForText } from '../notices/contact-card.js';
import type { NoticeWording } from '../notices/render-notice.js';
import { createEvidenceServices, type EvidenceServices } from './evidence-services.js';
import { resolveInfra, type Infra } from './resolve-infra.js';
import { resolveTwilioSettings, type TwilioSettings } from './twilio-settings.js';

/** BullMQ key prefix: one per deployment, so several gateways may share a Redis. */
export const QUEUE_PREFIX = 'gw';

export type GatewayServices = {
  config: Readonly<Config>;
  infra: Infra;
  db: Db;
  redis: Redis;
  /** Connection options for BullMQ workers (they need maxRetriesPerRequest: null). */
  bullConnection: ReturnType<typeof redisConnectionOptions> & { maxRetriesPerRequest: null };
  queue: OutboxQueue;
  dispatcher: OutboxDispatcher;
  clock: Clock;
  twilio: TwilioSettings;
  payments: Payments;
  evidence: EvidenceServices;
  /** Quiet hours, caps and senders' rates of every text and call the gateway starts (CONTACT_POLICY_FILE), checked at start. */
  contact: ContactSettings;
  /** Products and the rules that choose retention offers (RETENTION_OFFERS_FILE), checked at start. */
  retentionOffers: RetentionOffers;
  /** RECOVERY_SCHEDULE_FILE (or the default), checked against GRACE_PERIOD_DAYS at start. */
  recoverySchedule: RecoverySchedule;
  /** The notices' wording per locale, checked at start (keys, variables, segment budgets, opt-out keywords). */
  noticeTemplates: NoticeTemplates;
  /** What notices say of the insurer: its name, the gateway's number as texted, the grace period. */
  noticeWording: NoticeWording;
  /** The process's Prometheus registry: web and worker metrics both land here (METRICS_PORT; a worker's health port). */
  metrics: Registry;
  close: () => Promise<void>;
};

/**
 * Connects everything both processes need: Postgres (migrated), Redis, the
 * outbox queue and dispatcher, Twilio settings. Embedded services start
 * when their URLs are not configured.
 *
 * `runSequencer`: the evidence sequencer is background work like the outbox
 * jobs, so worker processes (and `start`) run it and web processes leave
 * their event loop to voice turns; one process leads at a time anyway.
 */
export const startGatewayServices = async (
  config: Readonly<Config>,
  log: InfraLogger,
  pathEnv: string,
  opts: { runSequencer: boolean } = { runSequencer: true },
): Promise<GatewayServices> => {
  // why: checked before anything starts: a bad policy file must stop the process, not a text at 22:00.
  const contact = loadContactSettings(config.contactPolicyFile);
  const retentionOffers = loadRetentionOffers(config.retentionOffersFile);
  const recoverySchedule = loadRecoverySchedule(config.recoveryScheduleFile, config.gracePeriodDays);
  const noticeTemplates = loadNoticeTemplates();
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const infra = await resolveInfra(config, log, pathEnv);
  const db = createPool(infra.databaseUrl, 30);
  try {
    const applied = await migrate(db);
    if (applied.length) log.info({ applied }, 'database migrated');
    // why: producers fail fast when Redis is down (the relay re-sends later); workers wait.
    const redis = new Redis(infra.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: false, lazyConnect: true });
    logConnectionErrors(redis, log, 'redis');
    await redis.connect();
    const bullConnection = { ...redisConnectionOptions(infra.redisUrl), maxRetriesPerRequest: null };
    const queue = createOutboxQueue(bullConnection, QUEUE_PREFIX);
    logConnectionErrors(queue, log, 'outbox queue');
    const dispatcher = createOutboxDispatcher({ db, queue, clock: systemClock, log });
    const twilio = await resolveTwilioSettings(config);
    const payments = await createPayments({
      db,
      clock: systemClock,
      log,
      dispatch: dispatcher.dispatch,
      config: {
        secretKey: config.stripe.secretKey,
        ...(config.stripe.apiUrl ? { apiUrl: config.stripe.apiUrl } : {}),
        webhookSecret: config.stripe.webhookSecret ?? (await loadOrCreateDevSecret(config.dataDir, 'stripe-webhook-secret', 24)),
        freeLookDays: config.freeLookDays,
        chargeLeaseMs: config.paymentsChargeLeaseMs,
        receiptFallbackMs: config.paymentsReceiptFallbackMs,
        publicBaseUrl: config.publicBaseUrl,
        insurerName: config.insurerName,
        fakeWebhookUrl: `${config.internalUrl}/stripe/webhook`,
      },
    });
    const noticeWording = { insurerName: config.insurerName, phone: formatPhoneForText(twilio.fromNumber), graceDays: config.gracePeriodDays };
    const evidence = await createEvidenceServices(config, { db, databaseUrl: infra.databaseUrl, clock: systemClock, log });
    const sequencer = opts.runSequencer ? evidence.startSequencer() : null;
    return {
      config, infra, db, redis, bullConnection, queue, dispatcher, clock: systemClock, twilio, payments, evidence, contact, retentionOffers, recoverySchedule, noticeTemplates, noticeWording, metrics,
      close: async () => {
        await sequencer?.stop();
        await payments.close();
        await dispatcher.idle();
        await queue.close();
        redis.disconnect();
        await db.end();
        await infra.stop();
      },
    };
  } catch (err) {
    await db.end().catch(() => undefined);
    await infra.stop();
    throw err;
  }
};
