import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startWorkerHealthServer } from '../../src/runtime/worker-health.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

// The `worker` role serves no webhooks; the image's HEALTHCHECK must still be
// able to tell a working worker from a broken one (issue 16).

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gw-worker-health-'));
// A Redis database of its own: the worker's queues use the deployment prefix, not a test prefix.
const redisUrl = `${process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'}/13`;
let t: TestDb;
let worker: ChildProcess;
let healthUrl: string;

const runMain = (args: string[], env: Record<string, string>) =>
  new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env },
      stdio: 'ignore',
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });

before(async () => {
  t = await createTestDb();
  worker = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
    env: { ...process.env, DATABASE_URL: t.url, REDIS_URL: redisUrl, DATA_DIR: dataDir, PORT: '0', WORKER_HEALTH_PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  healthUrl = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    worker.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      const m = /"url":"([^"]+\/healthz)","msg":"worker health endpoint listening"/.exec(buffered);
      if (m) resolve(m[1]!);
    });
    worker.once('exit', (code) => reject(new Error(`worker exited ${code} before its health endpoint listened:\n${buffered}`)));
  });
});
after(async () => {
  if (worker.exitCode === null) {
    worker.kill('SIGKILL');
    await once(worker, 'exit');
  }
  await t.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('worker role health', () => {
  test('a running worker answers GET /healthz: its BullMQ worker runs, Postgres and Redis answer', async () => {
    const res = await fetch(healthUrl);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', workers: 'running', postgres: 'ok', redis: 'ok' });
    assert.equal((await fetch(healthUrl.replace('/healthz', '/other'))).status, 404);
  });

  test('the worker serves its Prometheus metrics beside /healthz, the contact engine’s among them', async () => {
    const res = await fetch(healthUrl.replace('/healthz', '/metrics'));
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.match(text, /# TYPE gateway_contact_decisions_total counter/);
    assert.match(text, /# TYPE gateway_contact_rate_waits_total counter/);
    assert.match(text, /process_resident_memory_bytes/);
  });

  test('the image HEALTHCHECK command passes on the worker port when nothing listens on PORT, fails when nothing answers', async () => {
    const port = new URL(healthUrl).port;
    assert.equal(await runMain(['healthcheck'], { PORT: '1', WORKER_HEALTH_PORT: port }), 0);
    assert.equal(await runMain(['healthcheck'], { PORT: '1', WORKER_HEALTH_PORT: '2' }), 1);
  });

  test('the worker stops on SIGTERM, health endpoint included', async () => {
    worker.kill('SIGTERM');
    const [code] = await once(worker, 'exit');
    assert.equal(code, 0);
    await assert.rejects(fetch(healthUrl));
  });
});

test('503 naming the part that is down: stopped workers, unreachable Postgres or Redis', async () => {
  let running = true;
  const server = await startWorkerHealthServer(
    { workersRunning: () => running, postgres: () => Promise.reject(new Error('down')), redis: () => Promise.resolve('PONG') },
    { port: 0, host: '127.0.0.1' },
  );
  try {
    let res = await fetch(`${server.url}/healthz`);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { status: 'unhealthy', workers: 'running', postgres: 'unreachable', redis: 'ok' });
    running = false;
    res = await fetch(`${server.url}/healthz`);
    assert.equal(((await res.json()) as { workers: string }).workers, 'stopped');
  } finally {
    await server.close();
  }
});
