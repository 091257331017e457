import type { Worker } from 'bullmq';
import { createContactMetrics } from '../contact/contact-metrics.js';
import { createSenderRateLimiter } from '../contact/sender-rate-limiter.js';
import type { InfraLogger } from '../infra/infra-logger.js';
import { startOutboxWorker, type OutboxHandlers } from '../jobs/outbox-worker.js';
import { recoverLostJobs } from '../jobs/recover-lost-jobs.js';
import { relayOutbox } from '../jobs/relay-outbox.js';
import { startPaymentsReconciliation } from '../payments/reconcile-schedule.js';
import { startDueReminderSchedule } from '../notices/due-reminder-schedule.js';
import { startDebitRunSchedule } from '../payments/debit-run-schedule.js';
import { removeCarrierFile, writeCarrierFile, type CarrierLocation } from '../telephony/simulator/carrier-file.js';
import { startFakeTwilioApi, type FakeTwilioApi } from '../telephony/simulator/fake-twilio-api.js';
import { createTwilioClient } from '../telephony/twilio-client.js';
import { createTwilioSmsSender } from '../telephony/twilio-sms-sender.js';
import { createTwilioCallControl } from '../telephony/twilio-call-control.js';
import { QUEUE_PREFIX, type GatewayServices } from './gateway-services.js';
import { createOutboxHandlers } from './outbox-handlers.js';
import { createSpoolReplay } from './spool-replay.js';

/** Rows younger than this are still being dispatched by the web process that wrote them. */
const RELAY_GRACE_MS = 10_000;


export type RunningWorker = { worker: Worker; carrier: FakeTwilioApi | null; stop: () => Promise<void> };

/**
 * The worker: runs outbox jobs (SMS today; calls, charges and schedule steps
 * as flows add topics) and relays outbox rows a crash left undispatched.
 * Without Twilio credentials it starts the simulated carrier's REST API on
 * loopback and sends through it with the real twilio SDK, and records where it
 * listens in DATA_DIR/simulated-carrier.json for `npm run text` (removed on stop).
 */
export const runWorker = async (s: GatewayServices, log: InfraLogger): Promise<RunningWorker> => {
  const contactMetrics = createContactMetrics(s.metrics);
  let carrier: FakeTwilioApi | null = null;
  let carrierFile: CarrierLocation | null = null;
  if (s.twilio.simulated) {
    carrier = await startFakeTwilioApi({
      accountSid: s.twilio.accountSid,
      authToken: s.twilio.authToken,
      webhooks: { gatewayUrl: s.config.internalUrl, publicBaseUrl: s.config.publicBaseUrl },
    });
    log.info({ url: carrier.url }, 'simulated carrier: outbound SMS and calls go to a loopback Twilio API');
    void (async () => {
      for await (const m of carrier!.messages) log.info({ to: m.to, body: m.body }, 'simulated carrier delivered an SMS');
    })().catch(() => undefined);
    void (async () => {
      for await (const r of carrier!.refusedMessages) {
        log.info({ from: r.from, to: r.to, code: r.error.code }, `simulated carrier refused an SMS: ${r.error.message}`);
      }
    })().catch(() => undefined);
    carrierFile = { url: carrier.url, pid: process.pid };
    await writeCarrierFile(s.config.dataDir, carrierFile);
  }
  const client = createTwilioClient({
    accountSid: s.twilio.accountSid,
    authToken: s.twilio.authToken,
    ...(carrier ? { apiBaseUrl: carrier.url } : s.config.twilio.apiUrl ? { apiBaseUrl: s.config.twilio.apiUrl } : {}),
  });
  const senderLimiter = createSenderRateLimiter(s.redis, { prefix: QUEUE_PREFIX, rates: s.contact.senderRates });
  // why: the one registry of job handlers (outbox-handlers.ts); nothing adds handlers elsewhere.
  const handlers: OutboxHandlers = createOutboxHandlers({
    db: s.db,
    clock: s.clock,
    smsSender: createTwilioSmsSender(client),
    fromNumber: s.twilio.fromNumber,
    publicBaseUrl: s.config.publicBaseUrl,
    insurerName: s.config.insurerName,
    payments: s.payments,
    contactPolicy: s.contact.policy,
    homeZone: s.config.businessHours.zone,
    senderLimiter,
    contactMetrics,
    noticeTemplates: s.noticeTemplates,
    gracePeriodDays: s.config.gracePeriodDays,
    calls: createTwilioCallControl(client),
    businessHours: s.config.businessHours,
    transferTimings: s.config.transfer,
    dispatch: s.dispatcher.dispatch,
    recoverySchedule: s.recoverySchedule,
    callLimiter: createSenderRateLimiter(s.redis, {
      prefix: `${QUEUE_PREFIX}:calls`,
      rates: { perSender: {}, segmentsPerSecond: { 'long-code': s.config.recoveryCallsPerSecond, 'toll-free': s.config.recoveryCallsPerSecond, 'short-code': s.config.recoveryCallsPerSecond } },
    }),
  });
  const worker = startOutboxWorker({ db: s.db, clock: s.clock, handlers, dispatch: s.dispatcher.dispatch, log }, s.bullConnection, QUEUE_PREFIX, s.config.workerConcurrency);
  const replaySpool = createSpoolReplay(s);
  const relay = setInterval(() => {
    const now = s.clock.now().getTime();
    relayOutbox({ db: s.db, dispatcher: s.dispatcher }, { olderThan: new Date(now - RELAY_GRACE_MS) })
      .then((n) => n > 0 && log.warn({ relayed: n }, 'relayed outbox rows left undispatched'))
      .then(() => recoverLostJobs({ db: s.db, queue: s.queue, dispatcher: s.dispatcher }, { before: new Date(now - s.config.outbox.lostJobAfterMs) }))
      .then((n) => n > 0 && log.warn({ redispatched: n }, 're-dispatched outbox rows whose job Redis lost'))
      .then(() => replaySpool())
      .then((n) => n > 0 && log.warn({ applied: n }, 'applied messaging webhooks spooled while Postgres was down'))
      .catch((err: unknown) => log.error({ err }, 'outbox relay failed'));
  }, s.config.outbox.relayIntervalMs);
  relay.unref();
  const reconciliation = await startPaymentsReconciliation({
    connection: s.bullConnection, prefix: QUEUE_PREFIX, everyMs: s.config.paymentsReconcileIntervalMs, payments: s.payments, log,
  });
  const reminders = await startDueReminderSchedule({
    connection: s.bullConnection, prefix: QUEUE_PREFIX, daysAhead: s.config.dueReminderDays, clock: s.clock, log,
    plan: {
      db: s.db, templates: s.noticeTemplates, wording: s.noticeWording, from: s.twilio.fromNumber,
      rate: senderLimiter.rateOf(s.twilio.fromNumber), homeZone: s.config.businessHours.zone, dispatch: s.dispatcher.dispatch,
    },
  });
  const debits = s.config.debitRun
    ? await startDebitRunSchedule({
      connection: s.bullConnection, prefix: QUEUE_PREFIX, clock: s.clock, db: s.db, homeZone: s.config.businessHours.zone, dispatch: s.dispatcher.dispatch, log,
    })
    : null;
  return {
    worker,
    carrier,
    stop: async () => {
      clearInterval(relay);
      await reminders.stop();
      await debits?.stop();
      await reconciliation.stop();
      await worker.close();
      if (carrierFile) await removeCarrierFile(s.config.dataDir, carrierFile);
      await carrier?.close();
    },
  };
};
