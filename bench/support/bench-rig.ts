import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startFakeTwilioApi } from '../../src/telephony/simulator/fake-twilio-api.js';
import { ADMIN_URL } from '../../test/support/test-db.js';
import { createBenchDatabase } from './gateway-processes.js';

type Account = { accountSid: string; authToken: string };

/**
 * What a bench running `web` and `worker` processes needs, fresh: a database on the tests' Postgres, a
 * flushed Redis database, a data folder (with the gateway's log file), a port for web and a loopback
 * Twilio posting its webhooks to it.
 */
export const openBenchRig = async (o: { name: string; redisDb: number; account: Account }) => {
  const database = await createBenchDatabase(ADMIN_URL, `gw_bench_${o.name}`);
  const redisUrl = `redis://127.0.0.1:6379/${o.redisDb}`;
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `gw-bench-${o.name}-`));
  const port = 3400 + Math.floor(Math.random() * 500);
  const web = `http://127.0.0.1:${port}`;
  const carrier = await startFakeTwilioApi({ ...o.account, webhooks: { gatewayUrl: web, publicBaseUrl: web } });
  return { database, redisUrl, redis, dataDir, log: path.join(dataDir, 'gateway.log'), port, web, carrier, account: o.account };
};

export type BenchRig = Awaited<ReturnType<typeof openBenchRig>>;

/**
 * The environment of the rig's gateway processes, sending from `from` at `rate` segments a second.
 * Quiet hours are the contact engine's to enforce, not a bench's to wait for: open all day.
 */
export const benchGatewayEnv = (rig: BenchRig, o: { from: string; rate: number }): Record<string, string> => {
  const policyFile = path.join(rig.dataDir, 'contact-policy.json');
  writeFileSync(policyFile, JSON.stringify({
    quietHours: { default: { start: '00:00', end: '24:00' }, states: { FL: { start: '00:00', end: '24:00' } } },
    senderRates: { perSender: { [o.from]: o.rate } },
  }));
  return {
    PORT: String(rig.port), HOST: '127.0.0.1', PUBLIC_BASE_URL: rig.web, GATEWAY_INTERNAL_URL: rig.web, DATABASE_URL: rig.database.gatewayUrl,
    REDIS_URL: rig.redisUrl, DATA_DIR: rig.dataDir, LOG_LEVEL: 'warn', DEMO_DATA: 'off', METRICS_PORT: '0', WORKER_HEALTH_PORT: '0',
    WORKER_CONCURRENCY: '64', TWILIO_ACCOUNT_SID: rig.account.accountSid, TWILIO_AUTH_TOKEN: rig.account.authToken, TWILIO_FROM_NUMBER: o.from,
    TWILIO_API_URL: rig.carrier.url, CONTACT_POLICY_FILE: policyFile,
  };
};
