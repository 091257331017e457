/**
 * Consoles benchmark: what signing in and being signed in cost, each beside a baseline from the same
 * run, on the real app (Fastify listening on loopback, the local Postgres and Redis):
 *
 * - sign-in (a form post: scrypt at N=32768, the session, the evidence event) against GET /healthz;
 * - a JSON API read (GET /api/callbacks) with a console session cookie against the same read with a
 *   bearer token, in alternating rounds (the session's lookup replaces the token's);
 * - specialists' live feeds (GET /console/specialist/events, server-sent events polling retention's
 *   live transfers every second): Postgres transactions per second and the web process's CPU with
 *   N feeds open, against the same idle window with none.
 *
 *   npm run bench -- consoles      (env BENCH_SECONDS=5 per round, BENCH_FEEDS=50)
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Pool, request } from 'undici';
import { createConsoleUser } from '../src/console/console-users.js';
import { openSession } from '../src/console/console-sessions.js';
import { createApiToken } from '../src/evidence/api-tokens.js';
import { createSpecialist } from '../src/retention/create-specialist.js';
import { systemClock } from '../src/shared/clock.js';
import { buildTestApp } from '../test/support/build-test-app.js';
import { createTestDb } from '../test/support/test-db.js';
import { summarise } from './support/load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const FEEDS = Number(process.env.BENCH_FEEDS ?? 50);
const CONNECTIONS = 20;
const PASSWORD = 'bench password 123';

const fmt = (n: number, d = 1) => n.toFixed(d);

const main = async () => {
  const t = await createTestDb();
  const { app } = await buildTestApp(t.db);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  const origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const specialist = await createSpecialist(t.db, systemClock, { name: 'Bench Specialist', phone: '+15550100111', languages: ['en-US'] }, 'America/New_York');
  await createConsoleUser(t.db, systemClock, { username: 'bench-operator', role: 'operator', password: PASSWORD });
  const sam = await createConsoleUser(t.db, systemClock, { username: 'bench-specialist', role: 'specialist', password: PASSWORD, specialistId: specialist.id });
  const operatorSession = await openSession(t.db, systemClock, (await t.db.query<{ id: string }>("select id from console_users where username = 'bench-operator'")).rows[0]!.id);
  const token = (await createApiToken(t.db, systemClock, { name: 'bench', role: 'operator' })).token;
  process.stdout.write(`consoles bench: ${origin}, ${SECONDS} s rounds, ${CONNECTIONS} connections, ${FEEDS} live feeds\n\n`);

  // 1. Sign-in against a health probe.
  const signIn = async () => {
    const page = await request(`${origin}/console/sign-in`);
    const html = await page.body.text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    const t0 = performance.now();
    const res = await request(`${origin}/console/sign-in`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({ username: 'bench-operator', password: PASSWORD, _csrf: csrf }).toString(),
    });
    await res.body.dump();
    if (res.statusCode !== 303) throw new Error(`sign-in answered ${res.statusCode}`);
    return performance.now() - t0;
  };
  const probe = async () => {
    const t0 = performance.now();
    await (await request(`${origin}/healthz`)).body.dump();
    return performance.now() - t0;
  };
  const times = async (f: () => Promise<number>, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(await f());
    return summarise(out, 1);
  };
  const signIns = await times(signIn, 20);
  const probes = await times(probe, 20);
  process.stdout.write(`sign-in (20, one at a time)     p50 ${fmt(signIns.p50)} ms  max ${fmt(signIns.max)} ms\n`);
  process.stdout.write(`  baseline GET /healthz        p50 ${fmt(probes.p50, 2)} ms\n\n`);

  // 2. An API read with a session cookie against the same read with a bearer token, alternating.
  const pool = new Pool(origin, { connections: CONNECTIONS, pipelining: 1 });
  const read = async (headers: Record<string, string>) => {
    const ms: number[] = [];
    const end = Date.now() + SECONDS * 1000;
    await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        const res = await pool.request({ method: 'GET', path: '/api/callbacks', headers });
        await res.body.dump();
        if (res.statusCode !== 200) throw new Error(`/api/callbacks answered ${res.statusCode}`);
        ms.push(performance.now() - t0);
      }
    }));
    return summarise(ms, SECONDS);
  };
  const byCookie = { cookie: `gw_session=${operatorSession.cookieValue}` };
  const byToken = { authorization: `Bearer ${token}` };
  // why alternating, and each order once: the machine is shared and warms up; neither side always goes first.
  const sides = [['session cookie', byCookie], ['bearer token (baseline)', byToken]] as const;
  for (let round = 1; round <= 4; round++) {
    for (const [label, headers] of round % 2 ? sides : [...sides].reverse()) {
      const r = await read(headers);
      process.stdout.write(`GET /api/callbacks, ${label.padEnd(24)} round ${round}: ${fmt(r.perSecond, 0)} req/s  p50 ${fmt(r.p50, 2)} ms  p99 ${fmt(r.p99, 2)} ms\n`);
    }
  }
  await pool.close();

  // 3. Live feeds: Postgres transactions and web CPU with FEEDS streams open, against none.
  const stats = new pg.Client({ connectionString: t.url });
  await stats.connect();
  const tx = async () => Number((await stats.query<{ n: string }>('select (xact_commit + xact_rollback)::text as n from pg_stat_database where datname = current_database()')).rows[0]!.n);
  const window = async () => {
    const [tx0, cpu0] = [await tx(), process.cpuUsage()];
    await sleep(SECONDS * 1000);
    const cpu = process.cpuUsage(cpu0);
    return { txPerSecond: (await tx() - tx0) / SECONDS, cpuPercent: ((cpu.user + cpu.system) / 1e6 / SECONDS) * 100 };
  };
  const idle = await window();
  const sessions = await Promise.all(Array.from({ length: FEEDS }, () => openSession(t.db, systemClock, sam.id)));
  const feeds = new AbortController();
  setMaxListeners(FEEDS * 2, feeds.signal);
  let opened = 0;
  for (const s of sessions) {
    void request(`${origin}/console/specialist/events`, { headers: { cookie: `gw_session=${s.cookieValue}`, accept: 'text/event-stream' }, signal: feeds.signal })
      .then((res) => {
        opened++;
        res.body.on('data', () => undefined);
        res.body.on('error', () => undefined);
      }, () => undefined);
  }
  await sleep(1_500);
  const live = await window();
  feeds.abort();
  process.stdout.write(`\n${opened} live feeds open: ${fmt(live.txPerSecond)} Postgres tx/s, web process CPU ${fmt(live.cpuPercent)}%\n`);
  process.stdout.write(`  baseline, none open:  ${fmt(idle.txPerSecond)} Postgres tx/s, web process CPU ${fmt(idle.cpuPercent)}%\n`);
  await stats.end();
  await app.close();
  await t.drop();
};

main().then(() => process.exit(0), (err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
