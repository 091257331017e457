import type { AddressInfo } from 'node:net';
import { createRecoveryCallOutcomes } from '../../src/recovery/recovery-call-outcomes.js';
import type { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../src/app.js';
import pino from 'pino';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../src/jobs/dispatch-outbox.js';
import { createOutboxQueue, type OutboxQueue } from '../../src/jobs/outbox-queue.js';
import { startOutboxWorker } from '../../src/jobs/outbox-worker.js';
import { createPayments, type Payments } from '../../src/payments/payments-module.js';
import { createOutboxHandlers } from '../../src/runtime/outbox-handlers.js';
import { systemClock, type Clock } from '../../src/shared/clock.js';
import { DEFAULT_CONTACT_POLICY, type ContactPolicy } from '../../src/contact/contact-policy-config.js';
import type { TransferTimings } from '../../src/retention/transfer/transfer-deps.js';
import type { BusinessHours } from '../../src/shared/business-hours.js';
import { createCarrierSimulator, type CarrierSimulator } from '../../src/telephony/simulator/index.js';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../src/telephony/simulator/fake-twilio-api.js';
import { createTwilioClient } from '../../src/telephony/twilio-client.js';
import { createTwilioCallControl } from '../../src/telephony/twilio-call-control.js';
import { createTwilioSmsSender } from '../../src/telephony/twilio-sms-sender.js';
import type { CallControl } from '../../src/telephony/call-control.js';
import type { RecoveryCallPorts } from '../../src/recovery-call/recovery-call-deps.js';
import { ALWAYS_OPEN, buildTestApp, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PUBLIC_URL } from './build-test-app.js';
import { createTestDb, type TestDb } from './test-db.js';
import { createTestRedis } from './test-redis.js';

export type GatewayHarness = {
  t: TestDb;
  app: FastifyInstance;
  url: string;
  sim: CarrierSimulator;
  carrier: FakeTwilioApi;
  payments: Payments;
  queue: OutboxQueue;
  dispatcher: OutboxDispatcher;
  worker: Worker;
  /** The Redis key prefix of the queue (BullMQ's keys start with it). */
  redisPrefix: string;
  /** The Calls API on the simulated carrier, through the real SDK. */
  calls: CallControl;
  /** The recovery call's ports the app reads (the Calls API set; a test sets `onOutcome`). */
  recoveryCalls: RecoveryCallPorts;
  close: () => Promise<void>;
};

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** A log destination: every line the app, worker, dispatcher and payments write, at trace level. */
type LogStream = { write: (line: string) => void };

/**
 * The whole gateway as production wires it, on loopback: the app listening,
 * the BullMQ outbox worker with every handler, the fake Stripe behind the real
 * stripe SDK, the simulated carrier (webhook player and fake Twilio REST API
 * behind the real twilio SDK), a fresh database and a private Redis prefix.
 */
export const startGatewayHarness = async (
  o: {
    clock?: Clock; businessHours?: BusinessHours; logStream?: LogStream; contactPolicy?: ContactPolicy; transferTimings?: TransferTimings;
    /** More plugins for the app (the APIs `npm start` adds, e.g. compliance and the specialists registry), given the test database. */
    plugins?: (db: TestDb['db'], clock: Clock) => NonNullable<AppDeps['plugins']>;
  } = {},
): Promise<GatewayHarness> => {
  const t = await createTestDb();
  const log = o.logStream ? pino({ level: 'trace' }, o.logStream) : silent;
  const redis = createTestRedis();
  const clock = o.clock ?? systemClock;
  const queue = createOutboxQueue(redis.connection, redis.prefix);
  const dispatcher = createOutboxDispatcher({ db: t.db, queue, clock, log });
  const payments = await createPayments({
    db: t.db, clock, log, dispatch: dispatcher.dispatch,
    config: { freeLookDays: 30, publicBaseUrl: TEST_PUBLIC_URL, maxNetworkRetries: 1, timeoutMs: 3_000 },
  });
  // why: the carrier needs the app's address and the Calls API needs the carrier: the app reads its ports per request.
  const recoveryCalls: RecoveryCallPorts = { onOutcome: createRecoveryCallOutcomes({ db: t.db, clock }) };
  const { app } = await buildTestApp(t.db, {
    clock,
    dispatch: dispatcher.dispatch,
    plugins: [payments.plugin, ...(o.plugins?.(t.db, clock) ?? [])],
    recoveryCalls,
    ...(o.businessHours ? { businessHours: o.businessHours } : {}),
    ...(o.logStream ? { logger: { level: 'trace', stream: o.logStream } } : {}),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  payments.fakeStripe!.setWebhookUrl(`${url}/stripe/webhook`);
  const target = { gatewayUrl: url, publicBaseUrl: TEST_PUBLIC_URL, authToken: TEST_AUTH_TOKEN, accountSid: TEST_ACCOUNT_SID };
  const carrier = await startFakeTwilioApi({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, webhooks: target });
  const client = createTwilioClient({ accountSid: TEST_ACCOUNT_SID, authToken: TEST_AUTH_TOKEN, apiBaseUrl: carrier.url });
  const calls = createTwilioCallControl(client);
  recoveryCalls.calls = calls;
  const handlers = createOutboxHandlers({
    db: t.db, clock, smsSender: createTwilioSmsSender(client), fromNumber: '+18005550100',
    publicBaseUrl: TEST_PUBLIC_URL, insurerName: 'Harbor Mutual', payments, contactPolicy: o.contactPolicy ?? DEFAULT_CONTACT_POLICY,
    homeZone: 'America/New_York',
    calls, businessHours: o.businessHours ?? ALWAYS_OPEN, transferTimings: o.transferTimings ?? { ringSeconds: 20, acceptSeconds: 10 },
    dispatch: dispatcher.dispatch,
  });
  const worker = startOutboxWorker({ db: t.db, clock, handlers, dispatch: dispatcher.dispatch, log }, redis.connection, redis.prefix, 8);
  return {
    t, app, url, sim: createCarrierSimulator(target), carrier, payments, queue, dispatcher, worker, redisPrefix: redis.prefix, calls, recoveryCalls,
    close: async () => {
      await worker.close();
      await dispatcher.idle();
      await queue.close();
      await carrier.close();
      await payments.fakeStripe?.idle();
      await app.close();
      await payments.close();
      await redis.cleanup();
      await t.drop();
    },
  };
};
