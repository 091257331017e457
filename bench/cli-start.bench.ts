/**
 * CLI start benchmark: wall time of each one-shot command, from spawn to exit,
 * beside baselines measured in the same run: bare `node -e 0` and bare tsx
 * startup (`node --import tsx -e 0`). Each command runs as `npm run` runs it
 * (scripts/run-compiled.mjs) and, for comparison, through tsx from the
 * sources; `--help` measures pure start (the whole module graph loads, then
 * the usage error), `call`/`text` also place a real call or text against a
 * loopback TwiML stub standing in for the gateway, `evidence checkpoint`
 * reads a test database. Cases run interleaved, round after round, so a busy
 * machine slows them alike; medians and minimums are printed.
 *
 *   npm run bench -- cli-start         (BENCH_RUNS=10 rounds by default)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resolveTwilioSettings } from '../src/runtime/twilio-settings.js';
import { startTwimlTestServer } from '../src/telephony/simulator/test-support/twiml-test-server.js';
import { createTestDb } from '../test/support/test-db.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const PUBLIC_BASE_URL = 'https://ivr.bench.example';

const dataDir = await mkdtemp(path.join(tmpdir(), 'gw-cli-bench-'));
const db = await createTestDb();
const { authToken } = await resolveTwilioSettings({ dataDir, twilio: { accountSid: undefined, authToken: undefined, fromNumber: undefined, apiUrl: undefined } });
const stub = await startTwimlTestServer({
  authToken,
  publicBaseUrl: PUBLIC_BASE_URL,
  routes: {
    '/twilio/voice': () => '<Response><Gather numDigits="1" action="/twilio/menu"><Say>Press 1</Say></Gather></Response>',
    '/twilio/menu': () => '<Response><Say>Goodbye</Say><Hangup/></Response>',
    '/twilio/sms': () => '<Response><Message>Hello</Message></Response>',
  },
});
const env = {
  ...process.env,
  DATA_DIR: dataDir,
  PORT: new URL(stub.gatewayUrl).port,
  PUBLIC_BASE_URL,
  DATABASE_URL: db.url,
  LOG_LEVEL: 'silent',
};

/** Spawns one run (asynchronously: the stub answers from this process) and resolves to its wall time in ms. */
const timeRun = (cmd: string, args: string[], expectCode: number) =>
  new Promise<number>((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code === expectCode) resolve(ms);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}, expected ${expectCode}:\n${err}`));
    });
  });

const node = process.execPath;
const compiled = (...a: string[]) => ['scripts/run-compiled.mjs', ...a];
const viaTsx = (...a: string[]) => ['--import', 'tsx', 'src/main.ts', ...a];
const cases: { name: string; cmd: string; args: string[]; code: number }[] = [
  { name: 'baseline: node -e 0', cmd: node, args: ['-e', '0'], code: 0 },
  { name: 'baseline: node --import tsx -e 0', cmd: node, args: ['--import', 'tsx', '-e', '0'], code: 0 },
  { name: 'call --help', cmd: node, args: compiled('call', '--help'), code: 64 },
  { name: 'call --help (through tsx)', cmd: node, args: viaTsx('call', '--help'), code: 64 },
  { name: 'call --script 1 (a whole call)', cmd: node, args: compiled('call', '--from', '+12025550143', '--script', '1'), code: 0 },
  { name: 'text HELP (a whole text)', cmd: node, args: compiled('text', '--from', '+12025550143', 'HELP'), code: 0 },
  { name: 'text HELP (through tsx)', cmd: node, args: viaTsx('text', '--from', '+12025550143', 'HELP'), code: 0 },
  { name: 'evidence checkpoint', cmd: node, args: compiled('evidence', 'checkpoint'), code: 0 },
  { name: 'evidence checkpoint (through tsx)', cmd: node, args: viaTsx('evidence', 'checkpoint'), code: 0 },
  { name: 'npm run -s call -- --help (npm included)', cmd: 'npm', args: ['run', '-s', 'call', '--', '--help'], code: 64 },
];

try {
  // Warm-up: builds the compiled copy and tsx's transform cache, as a developer's first run would.
  for (const c of cases) await timeRun(c.cmd, c.args, c.code);
  const times = new Map(cases.map((c) => [c.name, [] as number[]]));
  for (let round = 0; round < RUNS; round++) {
    for (const c of cases) times.get(c.name)!.push(await timeRun(c.cmd, c.args, c.code));
  }
  const width = Math.max(...cases.map((c) => c.name.length));
  process.stdout.write(`${RUNS} rounds; wall time from spawn to exit, median (min)\n`);
  for (const c of cases) {
    const t = times.get(c.name)!.sort((a, b) => a - b);
    const median = t[Math.floor(t.length / 2)]!;
    process.stdout.write(`  ${c.name.padEnd(width)}  ${median.toFixed(0).padStart(5)} ms  (${t[0]!.toFixed(0)} ms)\n`);
  }
} finally {
  await stub.close();
  await db.drop();
  await rm(dataDir, { recursive: true, force: true });
}
