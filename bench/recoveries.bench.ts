/**
 * Recoveries benchmark: COUNT dues whose off-session debit failed (seeded in bulk: a policyholder in
 * New York who agreed to texts, a policy, a due and its failed payment attempt each), then one
 * `recovery.start` outbox row per due, written in one statement and dispatched to BullMQ as the
 * gateway's dispatcher does. `web` and `worker` run as their own processes on a fresh Postgres database
 * and a Redis database; the worker marks each due failed, records its recovery, starts its flow and
 * runs its first step (day 0, `pay-link`), whose notice the contact engine texts to a loopback Twilio
 * (the real twilio SDK; the sending number's rate raised to the limiter's maximum, so the carrier is
 * not what is measured).
 *
 * Measured until every recovery has run its first step and the carrier holds every text: wall time,
 * recoveries per second, outbox jobs completed per second (every topic), peak RSS of web and
 * worker(s), Redis used memory (sampled each second; Redis is the whole server, every database).
 * The same with one worker process and with two, alternating (`--rounds`), printed side by side:
 * one worker is the baseline. Loopback only, bounded in count and time (`--timeout`).
 *
 * Measured 2026-12-04, 10,000 dues, the shared two-core VM at load 6-8 (another gateway running beside it):
 * 1 worker: 127.7 s to every first step (78/s), 331.5 s to every text, 91 outbox jobs/s, worker 397 MB,
 * web 202 MB, Redis 55 MB peak; 2 workers: 149.3 s (67/s), 341.6 s, 88 jobs/s, workers 342 + 329 MB,
 * web 199 MB, Redis 55 MB. A second worker does not pay on two cores: Postgres (one backend inserting
 * policy_chain_links, the evidence chain) and the sends (a pay link, then the carrier) set the pace.
 *
 *   npm run bench -- recoveries                 (100,000 dues, one round: 1 worker then 2)
 *   npx tsx bench/recoveries.bench.ts --quick   (5,000 dues)
 *   npx tsx bench/recoveries.bench.ts --count 10000 --rounds 2 --timeout 900
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { migrate } from '../src/db/migrate.js';
import { createPool, type Db } from '../src/db/pool.js';
import { createOutboxDispatcher } from '../src/jobs/dispatch-outbox.js';
import { createOutboxQueue } from '../src/jobs/outbox-queue.js';
import { QUEUE_PREFIX } from '../src/runtime/gateway-services.js';
import { systemClock } from '../src/shared/clock.js';
import { benchGatewayEnv, openBenchRig } from './support/bench-rig.js';
import { rssMb, startProcess, waitReady } from './support/gateway-processes.js';
import { redisMemory } from './support/redis-memory.js';
import { seedHolders } from './support/seed-holders.js';

const { values: opts } = parseArgs({
  options: {
    count: { type: 'string' },
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '1' },
    timeout: { type: 'string', default: '1800' },
  },
  allowPositionals: true,
});
const COUNT = Number(opts.count ?? (opts.quick ? 5_000 : 100_000));
const ROUNDS = Number(opts.rounds);
/** Seconds one run may take from the first outbox row to the last text, before it is called failed. */
const TIMEOUT_S = Number(opts.timeout);
if (!(COUNT > 0 && COUNT <= 1_000_000 && ROUNDS >= 1 && ROUNDS <= 10 && TIMEOUT_S > 0)) {
  process.stderr.write('usage: recoveries.bench.ts [--count N (1..1,000,000)] [--quick] [--rounds R (1..10)] [--timeout SECONDS]\n');
  process.exit(2);
}
const REDIS_DB = 9;
const FROM = '+18005550100';
const ACCOUNT = { accountSid: `AC${'c'.repeat(32)}`, authToken: 'bench-recoveries-token' };
const DISPATCH_BATCH = 1_000;
/** The sender limiter's maximum: the carrier takes texts as fast as the worker sends them. */
const SEND_RATE = 10_000;

const today = (): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
const dueIdSql = (expr: string) => `('00000000-0000-4000-a000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;

const seed = async (db: Db): Promise<void> => {
  await migrate(db);
  await seedHolders(db, { count: COUNT, prefix: 'RB', dueDate: today(), dueIdSql });
  // The debit run's charge of each due failed an hour ago (insufficient funds: retry later).
  await db.query(`insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, status, amount_cents, decline_code, decline_class, failure_reason, created_at, updated_at)
    select gen_random_uuid(), ${dueIdSql('i')}, 1, 'debit-run', 'bench-recovery-' || i, 'failed', 12450, 'insufficient_funds', 'retry-later',
           'insufficient funds', now() - interval '1 hour', now() - interval '1 hour' from generate_series(1, ${COUNT}) i`);
  await db.query('analyze');
};

/** Writes one `recovery.start` row per failed attempt (as recording the failure does) and dispatches them in batches; their ids. */
const startRecoveries = async (db: Db, redisUrl: string): Promise<number> => {
  const { rows } = await db.query<{ id: string; topic: string; payload: Record<string, unknown>; run_at: Date }>(
    `insert into outbox (id, topic, payload, run_at, created_at, correlation)
     select gen_random_uuid(), 'recovery.start', jsonb_build_object('dueId', a.due_id, 'declineClass', a.decline_class, 'attemptId', a.id), now(), now(), 'due:' || a.due_id
       from payment_attempts a where a.status = 'failed'
     returning id, topic, payload, run_at`);
  const queue = createOutboxQueue({ url: redisUrl, maxRetriesPerRequest: null }, QUEUE_PREFIX);
  const dispatcher = createOutboxDispatcher({ db, queue, clock: systemClock, log: { warn: (o, m) => process.stderr.write(`${m} ${JSON.stringify(o).slice(0, 200)}\n`) } });
  for (let k = 0; k < rows.length; k += DISPATCH_BATCH) {
    await dispatcher.send(rows.slice(k, k + DISPATCH_BATCH).map((r) => ({ id: r.id, topic: r.topic, payload: r.payload, runAt: r.run_at })));
  }
  await queue.close();
  return rows.length;
};

type Result = {
  workers: number; seconds: number; dispatchSeconds: number; startedAt: number | null; steppedAt: number | null; textsAt: number | null;
  recoveries: number; stepped: number; texts: number; jobs: number; jobsByTopic: Record<string, number>;
  rss: { web: number; workers: number[] }; redis: { before: number; peak: number }; logLines: number; firstLog: string;
};

const runOnce = async (workers: number): Promise<Result> => {
  const rig = await openBenchRig({ name: 'recoveries', redisDb: REDIS_DB, account: ACCOUNT });
  const { database, redis, dataDir, log, web, carrier } = rig;
  const children: ChildProcess[] = [];
  let texts = 0;
  carrier.messages.onEntry(() => { texts += 1; });
  const db = createPool(database.url, 4);
  try {
    process.stdout.write(`[${workers} worker${workers > 1 ? 's' : ''}] seeding ${COUNT} failed dues...\n`);
    await seed(db);
    const env = benchGatewayEnv(rig, { from: FROM, rate: SEND_RATE });
    const webProcess = startProcess(['src/main.ts', 'web'], env, [], log);
    children.push(webProcess);
    await waitReady(`${web}/readyz`);
    const workerProcesses = Array.from({ length: workers }, () => startProcess(['src/main.ts', 'worker'], env, [], log));
    children.push(...workerProcesses);
    await sleep(3_000);
    const redisBefore = (await redisMemory(redis)).used;

    const t0 = performance.now();
    const windowStart = new Date();
    const recoveries = await startRecoveries(db, rig.redisUrl);
    const dispatchSeconds = (performance.now() - t0) / 1000;
    process.stdout.write(`[${workers}] ${recoveries} recovery.start rows written and dispatched in ${dispatchSeconds.toFixed(1)} s; waiting for every first step and text...\n`);

    const at: { started: number | null; stepped: number | null; texts: number | null } = { started: null, stepped: null, texts: null };
    let progress = { started: 0, stepped: 0 };
    let redisPeak = redisBefore;
    const limit = t0 + TIMEOUT_S * 1000;
    let lastPrint = t0;
    while ((at.stepped === null || at.texts === null) && performance.now() < limit) {
      await sleep(1_000);
      const { rows: [r] } = await db.query<{ started: number; stepped: number }>(
        `select count(*)::int as started, count(*) filter (where 'pay-link' = any(steps_done))::int as stepped from recoveries`);
      progress = r!;
      const now = performance.now();
      if (at.started === null && progress.started >= COUNT) at.started = now;
      if (at.stepped === null && progress.stepped >= COUNT) at.stepped = now;
      if (at.texts === null && texts >= COUNT) at.texts = now;
      redisPeak = Math.max(redisPeak, (await redisMemory(redis)).used);
      if (now - lastPrint > 15_000) {
        lastPrint = now;
        process.stdout.write(`[${workers}] ${((now - t0) / 1000).toFixed(0)} s: ${progress.started} recoveries started, ${progress.stepped} first steps run, ${texts} texts\n`);
      }
    }
    const end = performance.now();
    const windowEnd = new Date();
    const rss = { web: rssMb(webProcess.pid!, 'peak'), workers: workerProcesses.map((w) => rssMb(w.pid!, 'peak')) };
    const { rows: done } = await db.query<{ topic: string; n: number }>(
      `select topic, count(*)::int as n from outbox where completed_at >= $1 and completed_at <= $2 group by topic order by topic`, [windowStart, windowEnd]);
    const jobsByTopic = Object.fromEntries(done.map((d) => [d.topic, d.n]));
    if (at.stepped === null || at.texts === null) {
      process.stdout.write(`[${workers}] TIMEOUT after ${TIMEOUT_S} s (--timeout): ${progress.started} of ${COUNT} recoveries started, ` +
        `${progress.stepped} first steps run, ${texts} texts at the carrier; jobs done by topic ${JSON.stringify(jobsByTopic)}\n`);
    }
    const rel = (t: number | null) => (t === null ? null : (t - t0) / 1000);
    const logged = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
    return {
      workers, seconds: (Math.max(at.stepped ?? end, at.texts ?? end) - t0) / 1000, dispatchSeconds,
      startedAt: rel(at.started), steppedAt: rel(at.stepped), textsAt: rel(at.texts),
      recoveries, stepped: progress.stepped, texts, jobs: done.reduce((s, d) => s + d.n, 0), jobsByTopic,
      rss, redis: { before: redisBefore, peak: redisPeak }, logLines: logged.length, firstLog: logged[0]?.slice(0, 300) ?? '',
    };
  } finally {
    // why: every process drains and closes its pool before the database is dropped under it.
    await Promise.all(children.map(async (c) => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      const exited = new Promise((resolve) => c.once('exit', resolve));
      c.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
    }));
    await db.end();
    await carrier.close();
    await redis.flushdb();
    redis.disconnect();
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const f = (n: number | null, digits = 1) => (n === null ? 'timeout' : n.toFixed(digits));
const report = (results: Result[]): string => {
  const cols = results.map((r, k) => `run ${k + 1}: ${r.workers} worker${r.workers > 1 ? 's' : ''}`);
  const row = (label: string, cell: (r: Result) => string) => `${label.padEnd(34)}${results.map((r) => cell(r).padStart(22)).join('')}`;
  return [
    `recoveries: ${COUNT} failed dues, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at the end ` +
      `(a shared machine: the bench, web, worker(s), Postgres and Redis share these cores; compare alternating runs, not one)`,
    `${''.padEnd(34)}${cols.map((c) => c.padStart(22)).join('')}`,
    row('write + dispatch recovery.start, s', (r) => f(r.dispatchSeconds)),
    row('all recoveries started, s', (r) => f(r.startedAt)),
    row('all first steps run, s', (r) => f(r.steppedAt)),
    row('all texts at the carrier, s', (r) => f(r.textsAt)),
    row('first steps run per second', (r) => f(r.stepped / (r.steppedAt ?? r.seconds), 0)),
    row('outbox jobs done', (r) => String(r.jobs)),
    row('outbox jobs per second', (r) => f(r.jobs / r.seconds, 0)),
    row('web peak RSS, MB', (r) => f(r.rss.web)),
    row('worker peak RSS, MB', (r) => r.rss.workers.map((w) => f(w, 0)).join(' + ')),
    row('Redis used MB: before → peak', (r) => `${f(r.redis.before)} → ${f(r.redis.peak)}`),
    row('gateway log lines (warn and up)', (r) => String(r.logLines)),
    ...results.map((r, k) => `run ${k + 1} jobs by topic: ${JSON.stringify(r.jobsByTopic)}${r.firstLog ? `; first log line: ${r.firstLog}` : ''}`),
  ].join('\n');
};

const main = async () => {
  const results: Result[] = [];
  // Alternating, so a change in the machine's load falls on both: 1, 2, then 2, 1, ...
  for (let round = 0; round < ROUNDS; round++) {
    for (const workers of round % 2 === 0 ? [1, 2] : [2, 1]) results.push(await runOnce(workers));
  }
  process.stdout.write(`${report(results)}\n`);
  if (results.some((r) => r.steppedAt === null || r.textsAt === null)) process.exit(1);
};

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
