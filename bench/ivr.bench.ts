/**
 * IVR benchmark: simulated callers walk the pay-by-phone flow through the real
 * gateway (`src/main.ts start` as its own process: real Postgres and Redis,
 * signed requests, the worker charging through the fake Stripe), against a
 * bare Fastify server answering static TwiML measured in the same run.
 *
 * Prints turns/s, p50/p99 latency, the ratio to the baseline and the
 * gateway's RSS, for: saturation at 50 connections, a paced 200 turns/s, and
 * 10,000 calls for memory. Loopback only, bounded in time and count.
 *
 *   npm run bench -- ivr        (env BENCH_SECONDS=15 BENCH_CALLS=10000 to change the phases;
 *                                BENCH_ONLY=menu, pay or paced for one phase alone)
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { migrate } from '../src/db/migrate.js';
import { createPool } from '../src/db/pool.js';
import { ADMIN_URL } from '../test/support/test-db.js';
import { cpuWindow } from './support/cpu-split.js';
import { dbWindow } from './support/db-activity.js';
import { createPoster, limitInFlight, routeByCall, spreadRequests, summarise, type Poster } from './support/load.js';
import { createBenchDatabase, rssMb, startProcess, waitReady } from './support/gateway-processes.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const SOAK_CALLS = Number(process.env.BENCH_CALLS ?? 10_000);
const CONNECTIONS = 50;
/** The hold the TwiML asks for between payment-status polls (<Pause length="2">). */
const HOLD_MS = 2_000;
/** Calls in progress during the saturation phase: enough that 50 requests are always in flight. */
const LIVE_CALLS = 400;
const PACED_TURNS_PER_SECOND = 200;
const HOLDERS = 40_000;
const REDIS_DB = 7;

const seed = async (url: string) => {
  const db = createPool(url, 2);
  await migrate(db);
  // Callers on valid US numbers (+1 212/312/415/617 NXX): one policy and one open due each; no saved
  // card, so each pays with a new card through <Pay> (tokenized, then charged by the gateway).
  await db.query(`
    insert into policyholders (id, external_ref, first_name, last_name, zip)
    select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'B' || i, 'Caller', 'Bench', '20500'
      from generate_series(1, $1) i;
    `.replace('$1', String(HOLDERS)));
  await db.query(`
    insert into policyholder_phones (policyholder_id, phone_e164)
    select ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
           '+1' || (array['212','312','415','617'])[1 + i % 4] || lpad((2000000 + i / 4)::text, 7, '0')
      from generate_series(1, ${HOLDERS}) i`);
  await db.query(`
    insert into policies (id, policy_number, policyholder_id, product, coverage_tier, sum_insured_cents, premium_cents,
                          billing_frequency, next_due_date, paid_to_date)
    select ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, 'BN-' || i,
           ('00000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, 'auto', 'standard', 2500000, 12450,
           'monthly', '2026-12-01', '2026-12-01'
      from generate_series(1, ${HOLDERS}) i`);
  await db.query(`
    insert into premium_dues (id, policy_id, due_date, amount_cents)
    select gen_random_uuid(), ('00000000-0000-4000-9000-' || lpad(to_hex(i), 12, '0'))::uuid, '2026-12-01', 12450
      from generate_series(1, ${HOLDERS}) i`);
  await db.query('analyze');
  await db.end();
};

const phoneOf = (i: number) => `+1${['212', '312', '415', '617'][i % 4]}${String(2000000 + Math.floor(i / 4)).padStart(7, '0')}`;
const sid = (prefix: string, n: number) => `${prefix}${n.toString(16).padStart(32, '0')}`;
const action = (twiml: string, verb = 'Gather') => new RegExp(`<${verb}[^>]*action="([^"]+)"`).exec(twiml)?.[1]?.replace(/&amp;/g, '&');
const redirect = (twiml: string) => /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(twiml)?.[1]?.replace(/&amp;/g, '&');

type Stats = { latencies: number[]; errors: number; calls: number; paid: number; byStep?: Map<string, number[]> };

/** What a request was, for the per-step breakdown: the path and the step it answers. */
const stepOf = (p: string) => {
  const expect = /expect=([a-z-]+)/.exec(p)?.[1];
  return expect ? `${p.split('?')[0]} ${expect}` : p.split('?')[0]!;
};

const stepReport = (stats: Stats) =>
  [...(stats.byStep ?? [])].map(([k, v]) => {
    const m = summarise(v, 1);
    return `    ${k.padEnd(40)} n ${String(v.length).padStart(6)}  p50 ${m.p50.toFixed(1).padStart(7)} ms  p99 ${m.p99.toFixed(1).padStart(7)} ms  max ${m.max.toFixed(0)} ms`;
  }).join('\n');

/** Call number n's webhooks, as Twilio posts them: each answer timed and checked. */
const caller = (poster: Poster, n: number, stats: Stats) => {
  const base = { CallSid: sid('CA', n), AccountSid: sid('AC', 1), From: phoneOf(n), To: '+18005550100', CallStatus: 'in-progress' };
  return async (p: string, extra: Record<string, string> = {}) => {
    const r = await poster.post(p, { ...base, ...extra });
    stats.latencies.push(r.ms);
    if (stats.byStep) {
      const k = stepOf(p);
      stats.byStep.set(k, [...(stats.byStep.get(k) ?? []), r.ms]);
    }
    if (r.status !== 200) stats.errors++;
    return r.body;
  };
};

/** One caller paying the premium with a new card through <Pay>, as Twilio would drive the webhooks. */
const payCall = async (poster: Poster, n: number, stats: Stats) => {
  const turn = caller(poster, n, stats);
  let twiml = await turn('/twilio/voice');
  twiml = await turn(action(twiml) ?? '/x', { Digits: '1' }); // pay
  twiml = await turn(action(twiml, 'Pay') ?? '/x', {
    Result: 'success', PaymentToken: 'pm_card_visa', PaymentCardNumber: 'xxxx-xxxx-xxxx-4242', PaymentCardType: 'visa',
  });
  for (let i = 0; i < 20 && /expect=payment-status/.test(twiml); i++) {
    await sleep(HOLD_MS); // Twilio plays the <Pause> before following the <Redirect>; the worker charges meanwhile
    twiml = await turn(redirect(twiml) ?? '/x');
  }
  if (/was received/.test(twiml)) stats.paid++;
  await turn(action(twiml) ?? '/x', { Digits: '9' });
  await turn('/twilio/voice/status', { CallStatus: 'completed', SequenceNumber: '1', CallDuration: '40' });
  stats.calls++;
};

/** A caller who only listens: amount due, back, repeat, hang up. The turn path alone, no charge. */
const menuCall = async (poster: Poster, n: number, stats: Stats) => {
  const turn = caller(poster, n, stats);
  let twiml = await turn('/twilio/voice');
  for (const key of ['2', '9', '9']) twiml = await turn(action(twiml) ?? '/x', { Digits: key });
  await turn('/twilio/voice/status', { CallStatus: 'completed', SequenceNumber: '1', CallDuration: '30' });
  stats.calls++;
};

/**
 * Table statistics as a running system has them: autovacuum analyzes a table once it has grown by
 * a tenth, at most a minute later. The bench's tables start empty, and plans made on "empty" would
 * otherwise be measured for the first minutes (whole-table scans of what has since grown).
 */
const analyze = async (url: string) => {
  if (process.env.BENCH_NO_ANALYZE) return; // measures a new deployment's first minutes instead
  const db = createPool(url, 1);
  await db.query('analyze');
  await db.end();
};

const runSaturation = async (run: (n: number) => Promise<void>, next: () => number, seconds: number, callers: number) => {
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async () => {
      while (performance.now() < until) await run(next());
    }),
  );
};

const main = async () => {
  const database = await createBenchDatabase(ADMIN_URL, 'gw_bench');
  const { url: dbUrl, gatewayUrl: gatewayDbUrl } = database;
  const redisUrl = `redis://127.0.0.1:6379/${REDIS_DB}`;
  const redis = new Redis(redisUrl);
  await redis.flushdb();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gw-bench-'));
  const children: ChildProcess[] = [];
  const gatewayLog = path.join(dataDir, 'gateway.log');
  try {
    process.stdout.write(`seeding ${HOLDERS} callers...\n`);
    await seed(dbUrl);

    // Baseline: bare Fastify, static TwiML.
    const bare = startProcess(['bench/support/bare-twiml-server.ts'], {});
    children.push(bare);
    const barePort = await new Promise<number>((resolve) => bare.stdout!.once('data', (d) => resolve(JSON.parse(String(d)).port)));
    const bareUrl = `http://127.0.0.1:${barePort}`;
    const barePoster = createPoster(bareUrl, bareUrl, 'x', CONNECTIONS);
    const bareStats: Stats = { latencies: [], errors: 0, calls: 0, paid: 0 };
    let k = 0;
    const t0 = performance.now();
    await runSaturation(async () => {
      const r = await barePoster.post('/twilio/voice', { CallSid: sid('CA', k++), From: '+12125550100' });
      bareStats.latencies.push(r.ms);
    }, () => 0, SECONDS, CONNECTIONS);
    const baseline = summarise(bareStats.latencies, (performance.now() - t0) / 1000);
    await barePoster.close();
    bare.kill('SIGTERM');

    // The gateway as `npm start` runs it, on the bench database and Redis.
    const port = 3990;
    const publicUrl = `http://127.0.0.1:${port}`;
    // BENCH_PROCESSES=one runs `start` (web and worker in one process, as `npm start`); the default
    // runs them as two processes, as docker-compose deploys them, so charges never delay a voice turn.
    const env = {
      PORT: String(port), HOST: '127.0.0.1', PUBLIC_BASE_URL: publicUrl, GATEWAY_INTERNAL_URL: publicUrl, DATABASE_URL: gatewayDbUrl,
      REDIS_URL: redisUrl, DATA_DIR: dataDir, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', DEMO_DATA: 'off', METRICS_PORT: '0',
    };
    const nodeArgs = (process.env.BENCH_GATEWAY_NODE_ARGS ?? '').split(' ').filter(Boolean); // e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
    const oneProcess = process.env.BENCH_PROCESSES === 'one';
    let worker: ChildProcess | null = null;
    const workerRss = () => (worker?.pid && worker.exitCode === null ? rssMb(worker.pid).toFixed(1) : '?');
    const gw = startProcess(['src/main.ts', oneProcess ? 'start' : 'web'], env, nodeArgs, gatewayLog);
    children.push(gw);
    if (!oneProcess) {
      await waitReady(`${publicUrl}/readyz`); // the web process creates the development secrets the worker reads
      worker = startProcess(['src/main.ts', 'worker'], { ...env, PORT: '0' }, nodeArgs, gatewayLog);
      children.push(worker);
    }
    await waitReady(`${publicUrl}/readyz`);
    // BENCH_WEB_PROCESSES=N runs N web processes (as N `web` replicas behind a load balancer); requests
    // go to them in turn, so the turns of one call land on different processes, as without affinity.
    const moreWebs: ChildProcess[] = [];
    for (let k = 1; k < Number(process.env.BENCH_WEB_PROCESSES ?? 1) && !oneProcess; k++) {
      const extra = startProcess(['src/main.ts', 'web'], { ...env, PORT: String(port + k) }, nodeArgs, gatewayLog);
      children.push(extra);
      moreWebs.push(extra);
      await waitReady(`http://127.0.0.1:${port + k}/readyz`);
    }
    const origins = [publicUrl, ...moreWebs.map((_, k) => `http://127.0.0.1:${port + k + 1}`)];
    const token = readFileSync(path.join(dataDir, 'secrets', 'twilio-auth-token'), 'utf8').trim();
    // BENCH_AFFINITY=1 sends all of a call's requests to one web process (a load balancer with call affinity).
    const spread = process.env.BENCH_AFFINITY ? routeByCall : spreadRequests;
    const posterTo = (connections: number) =>
      spread(origins.map((o) => createPoster(o, publicUrl, token, Math.ceil(connections / origins.length))));
    // Saturation: many live calls, at most 50 requests in flight (the client queue is not timed).
    const poster = limitInFlight(posterTo(CONNECTIONS), CONNECTIONS);
    const openPoster = posterTo(512);
    let callNo = 1;
    const nextCall = () => callNo++;
    const rss0 = rssMb(gw.pid!);
    const cpuPids = () => ({
      web: gw.pid, ...Object.fromEntries(moreWebs.map((w, k) => [`web ${k + 2}`, w.pid])), worker: worker?.pid, 'load generator': process.pid,
    });

    if (process.env.BENCH_ONLY === 'menu') {
      const warmMenu: Stats = { latencies: [], errors: 0, calls: 0, paid: 0 };
      await runSaturation((n) => menuCall(poster, n, warmMenu), nextCall, 3, CONNECTIONS);
      await analyze(dbUrl);
      const menuOnly: Stats = { latencies: [], errors: 0, calls: 0, paid: 0 };
      const tm = performance.now();
      const cpu = cpuWindow(cpuPids());
      const dbw = await dbWindow(dbUrl);
      await runSaturation((n) => menuCall(poster, n, menuOnly), nextCall, SECONDS, CONNECTIONS);
      const m = summarise(menuOnly.latencies, (performance.now() - tm) / 1000);
      process.stdout.write(`menu only: ${m.perSecond.toFixed(1)} turns/s p50 ${m.p50.toFixed(1)} p99 ${m.p99.toFixed(1)} ` +
        `ratio ${(m.perSecond / baseline.perSecond).toFixed(3)}x (baseline ${baseline.perSecond.toFixed(0)} req/s)\n${cpu.stop(menuOnly.latencies.length)}\n` +
        `${await dbw.stop(menuOnly.latencies.length)}\n`);
      await poster.close();
      await openPoster.close();
      gw.kill('SIGTERM');
      await new Promise((resolve) => gw.once('exit', resolve));
      return;
    }

    // Warm-up (JIT, pools), not measured.
    const warm: Stats = { latencies: [], errors: 0, calls: 0, paid: 0 };
    await runSaturation((n) => payCall(poster, n, warm), nextCall, 5, LIVE_CALLS);
    await analyze(dbUrl);

    const sat: Stats = { latencies: [], errors: 0, calls: 0, paid: 0 };
    const t1 = performance.now();
    const satCpu = cpuWindow(cpuPids());
    const satDb = await dbWindow(dbUrl);
    await runSaturation((n) => payCall(poster, n, sat), nextCall, process.env.BENCH_ONLY === 'paced' ? 5 : SECONDS, LIVE_CALLS);
    const saturation = summarise(sat.latencies, (performance.now() - t1) / 1000);
    const satCpuLine = `${satCpu.stop(sat.latencies.length)}\n  ${await satDb.stop(sat.latencies.length)}`;
    if (process.env.BENCH_ONLY === 'pay') {
      process.stdout.write(`pay saturation: ${saturation.perSecond.toFixed(1)} turns/s p50 ${saturation.p50.toFixed(1)} ` +
        `p99 ${saturation.p99.toFixed(1)} ratio ${(saturation.perSecond / baseline.perSecond).toFixed(3)}x calls ${sat.calls} paid ${sat.paid} errors ${sat.errors}\n` +
        `${satCpuLine}\n`);
      await poster.close();
      await openPoster.close();
      gw.kill('SIGTERM');
      await new Promise((resolve) => gw.once('exit', resolve));
      return;
    }

    // Let the worker finish the charges the saturation phase queued, so each phase measures itself.
    const drainDb = createPool(dbUrl, 1);
    const drainUntil = performance.now() + 120_000;
    while (performance.now() < drainUntil) {
      const q = await drainDb.query<{ n: number }>(`select count(*)::int as n from outbox where completed_at is null and cancelled_at is null`);
      if ((q.rows[0]?.n ?? 0) === 0) break;
      await sleep(500);
    }
    await drainDb.end();

    // The turn path alone (no charges in the worker): menu callers at saturation.
    const menu: Stats = { latencies: [], errors: 0, calls: 0, paid: 0 };
    const t3 = performance.now();
    const menuCpu = cpuWindow(cpuPids());
    const menuDb = await dbWindow(dbUrl);
    if (process.env.BENCH_ONLY !== 'paced') await runSaturation((n) => menuCall(poster, n, menu), nextCall, SECONDS, CONNECTIONS);
    const menuSummary = summarise(menu.latencies, (performance.now() - t3) / 1000);
    const menuCpuLine = `${menuCpu.stop(menu.latencies.length)}\n  ${await menuDb.stop(menu.latencies.length)}`;

    // Paced: calls started at a steady rate (after the menu phase; nothing left in the worker's queue). so turns arrive at about 200/s.
    const turnsPerCall = sat.latencies.length / Math.max(1, sat.calls);
    const callsPerSecond = PACED_TURNS_PER_SECOND / turnsPerCall;
    const paced: Stats = { latencies: [], errors: 0, calls: 0, paid: 0, byStep: new Map() };
    const running: Promise<void>[] = [];
    const pacedCpu = cpuWindow(cpuPids());
    const pacedDb = await dbWindow(dbUrl);
    const t2 = performance.now();
    for (let i = 0; performance.now() - t2 < SECONDS * 1000; i++) {
      const due = t2 + (i * 1000) / callsPerSecond;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      running.push(payCall(openPoster, nextCall(), paced));
    }
    await Promise.all(running);
    const pacedSummary = summarise(paced.latencies, (performance.now() - t2) / 1000);
    // Below saturation the CPU a call costs moves far less with contention: the figure to compare code by.
    const pacedCpuLine = `${pacedCpu.stop(paced.latencies.length)}\n  ${await pacedDb.stop(paced.latencies.length)}`;
    if (process.env.BENCH_ONLY === 'paced') {
      process.stdout.write(`paced: offered ${(paced.latencies.length / SECONDS).toFixed(1)} turns/s (calls started over ${SECONDS} s), ` +
        `${pacedSummary.perSecond.toFixed(1)} turns/s including their wind-down, p50 ${pacedSummary.p50.toFixed(1)} p99 ${pacedSummary.p99.toFixed(1)} ` +
        `calls ${paced.calls} paid ${paced.paid} errors ${paced.errors}\n  ${pacedCpuLine}\n${stepReport(paced)}\n`);
      await poster.close();
      await openPoster.close();
      return;
    }

    // Memory over many calls.
    const soak: Stats = { latencies: [], errors: 0, calls: 0, paid: 0 };
    const rssAt: [number, number][] = [[0, rssMb(gw.pid!)]];
    const workerAtStart = workerRss();
    let soakLeft = SOAK_CALLS;
    await Promise.all(
      Array.from({ length: LIVE_CALLS }, async () => {
        while (soakLeft-- > 0) {
          await payCall(poster, nextCall(), soak);
          if (soak.calls % 1000 === 0) rssAt.push([soak.calls, rssMb(gw.pid!)]);
        }
      }),
    );
    const workerAtEnd = workerRss();
    // Memory of the turn path alone: the pay soak above also grows the in-process fake Stripe,
    // which keeps every customer, charge and event in memory as Stripe's database would.
    const menuSoak: Stats = { latencies: [], errors: 0, calls: 0, paid: 0 };
    const menuRss: [number, number][] = [[0, rssMb(gw.pid!)]];
    let menuLeft = SOAK_CALLS;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (menuLeft-- > 0) {
          await menuCall(poster, nextCall(), menuSoak);
          if (menuSoak.calls % 2000 === 0) menuRss.push([menuSoak.calls, rssMb(gw.pid!)]);
        }
      }),
    );

    await poster.close();
    await openPoster.close();
    const exited = new Promise((resolve) => gw.once('exit', resolve));
    gw.kill('SIGTERM');
    await Promise.race([exited, sleep(15_000)]);
    if (process.env.BENCH_DEBUG) {
      const dbg = createPool(dbUrl, 1);
      const q = await dbg.query(`select topic, count(*)::int as n, count(dispatched_at)::int as dispatched, count(completed_at)::int as completed,
                                        min(result::text) as result from outbox group by topic`);
      process.stdout.write(`${JSON.stringify(q.rows)}\n`);
      await dbg.end();
    }

    const ratio = saturation.perSecond / baseline.perSecond;
    const f = (x: number) => x.toFixed(1);
    const out = [
      '',
      `IVR pay flow, ${turnsPerCall.toFixed(1)} turns per call, ${os.cpus().length} cores, gateway to Postgres over ${gatewayDbUrl === dbUrl ? 'TCP' : 'unix socket'}`,
      `baseline (bare Fastify, static TwiML, ${CONNECTIONS} conns): ${f(baseline.perSecond)} req/s  p50 ${f(baseline.p50)} ms  p99 ${f(baseline.p99)} ms`,
      `saturation (${CONNECTIONS} callers):  ${f(saturation.perSecond)} turns/s  p50 ${f(saturation.p50)} ms  p99 ${f(saturation.p99)} ms  ` +
        `ratio ${ratio.toFixed(3)}x (target >= 0.12x, p99 < 50 ms)  calls ${sat.calls} paid ${sat.paid} errors ${sat.errors}`,
      `  ${satCpuLine}`,
      `menu only, no charges (${CONNECTIONS} callers): ${f(menuSummary.perSecond)} turns/s  p50 ${f(menuSummary.p50)} ms  ` +
        `p99 ${f(menuSummary.p99)} ms  ratio ${(menuSummary.perSecond / baseline.perSecond).toFixed(3)}x  errors ${menu.errors}`,
      `  ${menuCpuLine}`,
      `paced (${PACED_TURNS_PER_SECOND} turns/s asked): offered ${f(paced.latencies.length / SECONDS)} turns/s over ${SECONDS} s ` +
        `(${f(pacedSummary.perSecond)} including the last calls' wind-down)  p50 ${f(pacedSummary.p50)} ms  ` +
        `p99 ${f(pacedSummary.p99)} ms (target < 20 ms)  calls ${paced.calls} errors ${paced.errors}`,
      `  ${pacedCpuLine}`,
      stepReport(paced),
      `soak: ${soak.calls} calls, ${soak.latencies.length} turns, errors ${soak.errors}, paid ${soak.paid}; gateway RSS MB ` +
        `${f(rss0)} at start, ${rssAt.map(([c, m]) => `${f(m)}@${c}`).join(' ')}` +
        (oneProcess ? ' (includes the in-process fake Stripe\'s data)' : `; worker RSS MB ${workerAtStart} → ${workerAtEnd} (it holds the fake Stripe's data)`),
      `menu soak: ${menuSoak.calls} calls, errors ${menuSoak.errors}; gateway RSS MB ${menuRss.map(([c, m]) => `${f(m)}@${c}`).join(' ')}`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await sleep(500);
    await redis.flushdb();
    redis.disconnect();
    // BENCH_KEEP_DB=1 keeps the bench database and data folder (its secrets sign the evidence checkpoints),
    // to inspect, or to run `npm run verify` on, after the run.
    const keep = Boolean(process.env.BENCH_KEEP_DB);
    if (keep) process.stdout.write(`kept: DATABASE_URL=${dbUrl} DATA_DIR=${dataDir} (drop and remove them when done)\n`);
    else await database.drop();
    if (keep) await database.keep();
    // What the gateway logged (LOG_LEVEL warn by default): a few lines, so a run that logged errors says so.
    const logged = existsSync(gatewayLog) ? readFileSync(gatewayLog, 'utf8').split('\n').filter(Boolean) : [];
    process.stdout.write(`gateway log: ${logged.length} lines${logged.length ? `, first: ${logged.slice(0, 3).map((l) => l.slice(0, 300)).join(' | ')}` : ''}\n`);
    if (!keep) rmSync(dataDir, { recursive: true, force: true });
  }
};

await main();
