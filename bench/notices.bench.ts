/**
 * Notices benchmark: an operator schedules 100,000 due reminders through the notices API (batches
 * of 10,000), and the gateway sends them through the contact engine and the sender's rate limiter
 * to a loopback Twilio (the real twilio SDK, delivery callbacks posted back to the web process).
 * `web` and `worker` run as their own processes on a fresh Postgres database and a Redis database.
 *
 * Prints: time to schedule, the rate the carrier saw against the configured rate of the sending
 * number (the baseline: it should be within 2%), peak memory of web and worker beside their memory
 * before the batch, and Redis memory before and at its peak. Loopback only, bounded in count and time.
 *
 * The sending is measured for BENCH_SEND_SECONDS (180 s): 100,000 notices at a long code's few
 * segments a second take hours, and the rate is steady within seconds; the rest is left unsent.
 *
 *   npm run bench -- notices    (env BENCH_NOTICES=100000, BENCH_RATE=30 segments/s, BENCH_SEND_SECONDS=180)
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { migrate } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { createApiToken } from '../src/evidence/api-tokens.js';
import { systemClock } from '../src/shared/clock.js';
import { benchGatewayEnv, openBenchRig } from './support/bench-rig.js';
import { rssMb, startProcess, waitReady } from './support/gateway-processes.js';
import { redisMemory } from './support/redis-memory.js';
import { seedHolders } from './support/seed-holders.js';

const NOTICES = Number(process.env.BENCH_NOTICES ?? 100_000);
const RATE = Number(process.env.BENCH_RATE ?? 30);
/** How long the sending is measured: the whole batch at this rate would take hours; the rate is steady long before. */
const SEND_SECONDS = Number(process.env.BENCH_SEND_SECONDS ?? 180);
const BATCH = 10_000;
const REDIS_DB = 8;
const FROM = '+18005550100';
const ACCOUNT = { accountSid: `AC${'b'.repeat(32)}`, authToken: 'bench-notices-token' };

/** Today's date plus `days` in New York (the due-reminder notice refuses an overdue due). */
const dayAhead = (days: number): string =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(Date.now() + days * 86_400_000));

const seed = async (url: string): Promise<void> => {
  const db = createPool(url, 2);
  await migrate(db);
  await seedHolders(db, { count: NOTICES, prefix: 'NB', dueDate: dayAhead(3) });
  await db.query('analyze');
  await db.end();
};

const main = async () => {
  const rig = await openBenchRig({ name: 'notices', redisDb: REDIS_DB, account: ACCOUNT });
  const { database, redis, dataDir, log, web, carrier } = rig;
  const { url: dbUrl } = database;
  const children: ChildProcess[] = [];
  const sentAt: number[] = [];
  carrier.messages.onEntry(() => sentAt.push(performance.now()));
  try {
    process.stdout.write(`seeding ${NOTICES} policyholders with a due in 3 days...\n`);
    await seed(dbUrl);
    const env = benchGatewayEnv(rig, { from: FROM, rate: RATE });
    const nodeArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
    const webProcess = startProcess(['src/main.ts', 'web'], env, nodeArgs, log);
    children.push(webProcess);
    await waitReady(`${web}/readyz`);
    const workerProcess = startProcess(['src/main.ts', 'worker'], env, nodeArgs, log);
    children.push(workerProcess);
    await sleep(3_000);
    const db = createPool(dbUrl, 1);
    const { token } = await createApiToken(db, systemClock, { name: 'bench', role: 'operator' });
    await db.end();
    const before = { web: rssMb(webProcess.pid!), worker: rssMb(workerProcess.pid!), redis: await redisMemory(redis) };

    const t0 = performance.now();
    let queued = 0;
    for (let start = 1; start <= NOTICES; start += BATCH) {
      const numbers = Array.from({ length: Math.min(BATCH, NOTICES - start + 1) }, (_, k) => `NB-${start + k}`);
      const res = await fetch(`${web}/api/notices`, {
        method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ notice: 'due-reminder', policyNumbers: numbers }),
      });
      const body = (await res.json()) as { queued?: number; rejected?: unknown[]; message?: string };
      if (res.status !== 202) throw new Error(`POST /api/notices answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      queued += body.queued ?? 0;
    }
    const scheduledAt = performance.now();
    const scheduleSeconds = (scheduledAt - t0) / 1000;
    process.stdout.write(`scheduled ${queued} notices in ${scheduleSeconds.toFixed(1)} s; sending at ${RATE} segments/s...\n`);

    const limit = performance.now() + Math.min(SEND_SECONDS, (queued / RATE) * 1.5 + 60) * 1000;
    let redisPeak = before.redis.used;
    while (sentAt.length < queued && performance.now() < limit) {
      await sleep(1_000);
      redisPeak = Math.max(redisPeak, (await redisMemory(redis)).used);
    }
    const peak = { web: rssMb(webProcess.pid!, 'peak'), worker: rssMb(workerProcess.pid!, 'peak') };
    // why: the steady rate once scheduling is over (10 requests of 10,000 load the same two cores), from the
    // first text after it to the last; every notice here is one GSM-7 segment.
    const sorted = sentAt.filter((t) => t >= scheduledAt).sort((a, b) => a - b);
    const seconds = (sorted[sorted.length - 1]! - sorted[0]!) / 1000;
    const achieved = (sorted.length - 1) / seconds;
    const deviation = ((achieved - RATE) / RATE) * 100;
    const f = (n: number) => n.toFixed(1);
    const stats = createPool(dbUrl, 1);
    // How late each notice ran against the time the batch planned for it, and how long its job took.
    const { rows: [late] } = await stats.query<{ p50: number; p99: number; took50: number; took99: number }>(
      `select percentile_cont(0.5) within group (order by extract(epoch from completed_at - run_at)) as p50,
              percentile_cont(0.99) within group (order by extract(epoch from completed_at - run_at)) as p99,
              percentile_cont(0.5) within group (order by extract(epoch from completed_at - started_at)) as took50,
              percentile_cont(0.99) within group (order by extract(epoch from completed_at - started_at)) as took99
         from outbox where topic = 'notices.send' and completed_at is not null`);
    if (process.env.BENCH_DEBUG) {
      const { rows } = await stats.query(`select percentile_cont(0.5) within group (order by extract(epoch from m.sent_at - o.started_at)) as to_sent,
        percentile_cont(0.5) within group (order by extract(epoch from o.completed_at - m.sent_at)) as sent_to_done,
        percentile_cont(0.5) within group (order by extract(epoch from o.started_at - o.run_at)) as run_to_start
        from outbox o join sms_messages m on m.outbox_id = o.id where o.topic = 'notices.send'`);
      process.stdout.write(`debug: ${JSON.stringify(rows[0])}\n`);
    }
    await stats.end();
    process.stdout.write([
      `notices: ${NOTICES} due reminders, ${queued} queued, ${sentAt.length} texts created at the carrier in the ${SEND_SECONDS} s measured`,
      `time to schedule: ${f(scheduleSeconds)} s (${Math.round(queued / scheduleSeconds)} notices/s, ${Math.ceil(NOTICES / BATCH)} requests of up to ${BATCH})`,
      `send rate: ${f(achieved)} segments/s over the ${f(seconds)} s after scheduling (${sorted.length} texts), configured ${RATE} for ${FROM} (baseline): ${deviation >= 0 ? '+' : ''}${deviation.toFixed(2)}%`,
      `web RSS MB: ${f(before.web)} before → peak ${f(peak.web)}; worker RSS MB: ${f(before.worker)} before → peak ${f(peak.worker)}`,
      `Redis used memory MB: ${f(before.redis.used)} before → peak ${f(redisPeak)} (sampled each second)`,
      `notice jobs: done ${f(late!.p50)} s after their planned time (p50), ${f(late!.p99)} s (p99); a job took ${(late!.took50 * 1000).toFixed(0)} ms (p50), ${(late!.took99 * 1000).toFixed(0)} ms (p99) from its send`,
    ].join('\n') + '\n');
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await sleep(1_000);
    await carrier.close();
    await redis.flushdb();
    redis.disconnect();
    await database.drop();
    const logged = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    process.stdout.write(`gateway log: ${logged.length} lines${logged.length ? `, first: ${logged.slice(0, 3).map((l) => l.slice(0, 300)).join(' | ')}` : ''}\n`);
    rmSync(dataDir, { recursive: true, force: true });
  }
};

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
