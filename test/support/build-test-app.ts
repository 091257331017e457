import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks.js';
import { Redis } from 'ioredis';
import { buildApp, type AppDeps } from '../../src/app.js';
import { createDeployedRegistry } from '../../src/flows/machines.js';
import { loadPromptCatalog } from '../../src/ivr/prompts/prompt-catalog.js';
import type { OutboxRow } from '../../src/jobs/outbox-rows.js';
import { systemClock, type Clock } from '../../src/shared/clock.js';
import { loadSmsCatalog } from '../../src/sms/sms-catalog.js';
import type { Db } from '../../src/db/pool.js';
import { parseBusinessHours, type BusinessHours } from '../../src/shared/business-hours.js';
import { TEST_REDIS_URL } from './test-redis.js';

export const TEST_AUTH_TOKEN = '0123456789abcdef0123456789abcdef';
export const TEST_ACCOUNT_SID = `AC${'a'.repeat(32)}`;
export const TEST_PUBLIC_URL = 'https://gateway.example.test';

/** The gateway app on a test database; outbox rows are collected instead of sent unless a dispatcher is given. */
export const ALWAYS_OPEN = parseBusinessHours('America/New_York Mon-Sun 00:00-24:00');

export const buildTestApp = async (
  db: Db,
  opts: {
    clock?: Clock;
    dispatch?: (rows: OutboxRow[]) => void;
    businessHours?: BusinessHours;
    plugins?: AppDeps['plugins'];
    /** The app's metrics (default: its own). */
    metrics?: AppDeps['metrics'];
    /** The machines sessions run (default: every deployed one). */
    machines?: AppDeps['machines'];
    /** The app's pino options (a `stream` to capture the log); default no log. */
    logger?: AppDeps['logger'];
    /** The recovery call's Calls API and outcome port (default none). */
    recoveryCalls?: AppDeps['recoveryCalls'];
    /** The outbox queue the operator dashboard reads (default none). */
    outboxQueue?: AppDeps['outboxQueue'];
  } = {},
) => {
  const dispatched: OutboxRow[] = [];
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const app = await buildApp({
    config: {
      publicBaseUrl: TEST_PUBLIC_URL,
      insurerName: 'Harbor Mutual',
      bodyLimitBytes: 1024 * 1024,
      businessHours: opts.businessHours ?? ALWAYS_OPEN,
      payConnector: 'Stripe_Connector',
    },
    db,
    redis,
    clock: opts.clock ?? systemClock,
    machines: opts.machines ?? createDeployedRegistry(),
    dispatch: opts.dispatch ?? ((rows) => dispatched.push(...rows)),
    twilioAuthToken: TEST_AUTH_TOKEN,
    prompts: loadPromptCatalog(),
    smsCatalog: loadSmsCatalog(),
    ...(opts.plugins ? { plugins: opts.plugins } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.recoveryCalls ? { recoveryCalls: opts.recoveryCalls } : {}),
    ...(opts.outboxQueue ? { outboxQueue: opts.outboxQueue } : {}),
  });
  app.addHook('onClose', async () => {
    redis.disconnect();
  });
  return { app, dispatched };
};

/** Signs a form post exactly as Twilio does, for PUBLIC_BASE_URL + path. */
export const signedForm = (path: string, params: Record<string, string>) => ({
  method: 'POST' as const,
  url: path,
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    'x-twilio-signature': getExpectedTwilioSignature(TEST_AUTH_TOKEN, `${TEST_PUBLIC_URL}${path}`, params),
  },
  payload: new URLSearchParams(params).toString(),
});

export const callSid = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
export const messageSid = (n: number) => `SM${n.toString(16).padStart(32, '0')}`;
