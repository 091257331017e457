import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startEmbeddedPostgres, type RunningPostgres } from '../../src/db/embedded-postgres.js';
import { createPool, type Db } from '../../src/db/pool.js';
import { findFreePort } from '../../src/infra/free-port.js';
import { startPrivateRedis, type RunningRedis } from '../../src/infra/private-redis.js';
import { startFakeStripe } from '../../src/payments/fake-stripe/fake-stripe-server.js';
import { createPayments, type Payments } from '../../src/payments/payments-module.js';
import { savePaymentMethod } from '../../src/payments/save-payment-method.js';
import { systemClock } from '../../src/shared/clock.js';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import { createCarrierSimulator, createScriptedInput, type CarrierSimulator } from '../../src/telephony/simulator/index.js';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../src/telephony/simulator/fake-twilio-api.js';
import { makeDataDir, recordingLogger } from '../infra/support.js';
import { seedDue, seedPolicyholder, seedSmsConsent } from '../support/seed.js';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const FROM_NUMBER = '+18005550100';

export type Holder = { phone: string; policyholderId: string; dueId: string; policyNumber: string };

type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;

/**
 * The gateway as production runs it, with every part a test can break: a private Postgres and a
 * private Redis (stopped and started by the test), the `web` and `worker` roles as their own
 * processes (killed by the test), and the fake Stripe and fake Twilio in this process (told to
 * answer slowly, with 5xx, or to drop connections), reached through STRIPE_API_URL and
 * TWILIO_API_URL with the real SDKs. The simulated carrier places the calls.
 */
export type FaultRig = {
  db: Db;
  stripe: FakeStripe;
  carrier: FakeTwilioApi;
  sim: CarrierSimulator;
  web: () => GatewayProcess;
  worker: () => GatewayProcess;
  stopPostgres: () => Promise<void>;
  startPostgres: () => Promise<void>;
  stopRedis: (o: { loseData: boolean }) => Promise<void>;
  startRedis: () => Promise<void>;
  killWorker: () => Promise<void>;
  startWorker: () => Promise<void>;
  seedHolders: (n: number, phonePrefix: string) => Promise<Holder[]>;
  /** One caller paying their due with the card on file: menu 1, confirm 1, then hangs up. */
  payCall: (h: Holder) => ReturnType<CarrierSimulator['placeCall']>;
  /** One text from a holder to our number; resolves with the carrier's view of the answer. */
  text: (h: Holder, body: string) => ReturnType<CarrierSimulator['sendSms']>;
  /** An operator's notice batch through the notices API (an operator token); resolves with the API's answer. */
  sendNotices: (notice: string, policyNumbers: string[]) => Promise<{ status: number; body: { queued?: number; batchId?: string } }>;
  /** The insurer's billing reporting failed debits through `POST /api/failed-debits` (an operator token); the API's answer. */
  reportFailedDebits: (rows: object[]) => Promise<{ status: number; body: unknown }>;
  /** `npm run verify` as an operator runs it: exit code and output. */
  verify: () => Promise<{ code: number; output: string }>;
  close: () => Promise<void>;
};

export const startFaultRig = async (): Promise<FaultRig> => {
  const data = await makeDataDir('faults');
  const { log } = recordingLogger();
  let pg: RunningPostgres = await startEmbeddedPostgres({ dataDir: data.dir, log });
  let redis: RunningRedis = await startPrivateRedis({ dataDir: data.dir, log, pathEnv: process.env.PATH ?? '' });
  // why: this process's own pool outlives Postgres restarts; a lost idle connection is expected here.
  const db = createPool(pg.url, 4, () => undefined);
  const [webPort, workerPort] = [await findFreePort(), await findFreePort()];
  const webUrl = `http://127.0.0.1:${webPort}`;
  const twilio = { accountSid: `AC${randomBytes(16).toString('hex')}`, authToken: randomBytes(16).toString('hex') };
  const stripeKeys = { secretKey: `sk_test_faults_${randomBytes(8).toString('hex')}`, webhookSecret: `whsec_${randomBytes(16).toString('hex')}` };
  const stripe = await startFakeStripe({ ...stripeKeys, webhookUrl: `${webUrl}/stripe/webhook` });
  const target = { gatewayUrl: webUrl, publicBaseUrl: webUrl, ...twilio };
  const carrier = await startFakeTwilioApi({ ...twilio, webhooks: target });
  // why: the faults must not wait for tomorrow morning: every hour allowed, and a sender fast enough for a batch in seconds.
  const contactPolicyFile = path.join(data.dir, 'contact-policy.json');
  await writeFile(contactPolicyFile, JSON.stringify({
    quietHours: { default: { start: '00:00', end: '24:00' }, states: { FL: { start: '00:00', end: '24:00' } } },
    senderRates: { perSender: { [FROM_NUMBER]: 20 } },
  }));
  const env: Record<string, string> = {
    CONTACT_POLICY_FILE: contactPolicyFile,
    DATA_DIR: data.dir, DATABASE_URL: pg.url, REDIS_URL: redis.url, HOST: '127.0.0.1', PORT: String(webPort),
    METRICS_PORT: '0', WORKER_HEALTH_PORT: String(workerPort), DEMO_DATA: 'off', LOG_LEVEL: 'warn',
    TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_AUTH_TOKEN: twilio.authToken, TWILIO_FROM_NUMBER: FROM_NUMBER,
    TWILIO_API_URL: carrier.url, STRIPE_SECRET_KEY: stripeKeys.secretKey, STRIPE_WEBHOOK_SECRET: stripeKeys.webhookSecret,
    STRIPE_API_URL: stripe.url, OUTBOX_RELAY_INTERVAL_MS: '1000', OUTBOX_LOST_JOB_AFTER_MS: '3000',
    PAYMENTS_RECONCILE_INTERVAL_MS: '3000', EVIDENCE_SEQUENCER_INTERVAL_MS: '500',
    // why: a charge whose outcome was lost with Postgres is resolved once its lease runs out; 2 min by default.
    PAYMENTS_CHARGE_LEASE_MS: '8000',
    // why: a receipt whose charge job gave up in an outage is texted by the settlement this long after, not a minute.
    PAYMENTS_RECEIPT_FALLBACK_MS: '3000',
    // why: few jobs at once, so a queue forms in Redis for the faults to hit.
    WORKER_CONCURRENCY: '2',
  };
  // why: FAULT_LOGS=DIR keeps each role's log for a failure to be read (LOG_LEVEL=info there).
  const logs = process.env.FAULT_LOGS;
  if (logs) env.LOG_LEVEL = 'info';
  const logOf = (role: string) => (logs ? path.join(logs, `${role}.log`) : undefined);
  const web = await startGatewayProcess('web', env, webPort, logOf('web'));
  let worker = await startGatewayProcess('worker', env, workerPort, logOf('worker'));
  const payments: Payments = await createPayments({
    db, clock: systemClock, log,
    config: { ...stripeKeys, apiUrl: stripe.url, freeLookDays: 30, publicBaseUrl: webUrl },
  });
  const sim = createCarrierSimulator(target);

  return {
    db, stripe, carrier, sim,
    web: () => web,
    worker: () => worker,
    stopPostgres: () => pg.stop(),
    startPostgres: async () => {
      pg = await startEmbeddedPostgres({ dataDir: data.dir, log });
    },
    stopRedis: async ({ loseData }) => {
      await redis.stop();
      // why: a Redis restarted without its data (no persistence, a failover to an empty replica) loses every queued job.
      if (loseData) await rm(path.join(data.dir, 'redis', 'appendonlydir'), { recursive: true, force: true });
    },
    startRedis: async () => {
      redis = await startPrivateRedis({ dataDir: data.dir, log, pathEnv: process.env.PATH ?? '' });
    },
    killWorker: () => worker.kill(),
    startWorker: async () => {
      worker = await startGatewayProcess('worker', env, workerPort, logOf('worker'));
    },
    seedHolders: async (n, phonePrefix) => {
      const holders: Holder[] = [];
      for (let i = 0; i < n; i++) {
        const phone = `${phonePrefix}${String(i).padStart(2, '0')}`;
        const policyNumber = `HM-F${phone.slice(-6)}`;
        const p = await seedPolicyholder(db, { firstName: 'Fault', phone, policyNumber });
        const dueId = await seedDue(db, p.policyId, 12_450);
        await seedSmsConsent(db, phone);
        await savePaymentMethod({ policyholderId: p.policyholderId, paymentMethodId: 'pm_card_visa' }, payments.deps);
        holders.push({ phone, policyholderId: p.policyholderId, dueId, policyNumber });
      }
      return holders;
    },
    payCall: (h) => sim.placeCall({
      from: h.phone, to: FROM_NUMBER,
      input: createScriptedInput([{ digits: '1' }, { digits: '1' }, 'hangup'], { whenExhausted: 'hangup', pauseMsPerSecond: 250 }),
    }),
    text: (h, body) => sim.sendSms({ from: h.phone, to: FROM_NUMBER, body }),
    sendNotices: async (notice, policyNumbers) => {
      const { token } = await createApiToken(db, systemClock, { name: 'fault-operator', role: 'operator' });
      const res = await fetch(`${webUrl}/api/notices`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ notice, policyNumbers }),
      });
      return { status: res.status, body: (await res.json()) as { queued?: number; batchId?: string } };
    },
    reportFailedDebits: async (rows) => {
      const { token } = await createApiToken(db, systemClock, { name: 'fault-billing', role: 'operator' });
      const res = await fetch(`${webUrl}/api/failed-debits`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ rows }),
      });
      return { status: res.status, body: await res.json() };
    },
    verify: () => new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'verify'], { cwd: root, env: { PATH: process.env.PATH ?? '', ...env } });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.once('exit', (code) => resolve({ code: code ?? 1, output }));
    }),
    close: async () => {
      await worker.stop().catch(() => undefined);
      await web.stop().catch(() => undefined);
      await carrier.idle().catch(() => undefined);
      await carrier.close().catch(() => undefined);
      await stripe.close().catch(() => undefined);
      await payments.close();
      await db.end().catch(() => undefined);
      await redis.stop().catch(() => undefined);
      await pg.stop().catch(() => undefined);
      await sleep(50);
      await data.remove();
    },
  };
};
