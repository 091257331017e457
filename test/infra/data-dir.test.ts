import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { ensureDataDir, loadOrCreateSecret, secretPath } from '../../src/infra/data-dir.js';
import { loadOrCreateDevSecret } from '../../src/infra/dev-secrets.js';
import { findExecutable } from '../../src/infra/find-executable.js';
import { chooseRememberedPort, findFreePort, isPortFree } from '../../src/infra/free-port.js';
import { makeDataDir } from './support.js';

test('a dev secret is 32 hex characters, stable across calls, in a 0600 file under a 0700 folder', async () => {
  const data = await makeDataDir('secrets');
  try {
    const dir = await ensureDataDir(path.join(data.dir, 'nested', 'data'));
    const token = await loadOrCreateDevSecret(dir, 'twilio-auth-token');
    assert.match(token, /^[0-9a-f]{32}$/);
    assert.equal(await loadOrCreateDevSecret(dir, 'twilio-auth-token'), token);
    const file = secretPath(dir, 'twilio-auth-token');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(path.dirname(file))).mode & 0o777, 0o700);
    const both = await Promise.all([loadOrCreateSecret(dir, 'raced'), loadOrCreateSecret(dir, 'raced')]);
    assert.equal(both[0], both[1]);
  } finally {
    await data.remove();
  }
});

test('a secret file with loose permissions is tightened; bad names are refused', async () => {
  const data = await makeDataDir('secrets');
  try {
    await loadOrCreateSecret(data.dir, 'copied');
    const file = secretPath(data.dir, 'copied');
    await writeFile(file, 'hand-made\n');
    await chmod(file, 0o644);
    assert.equal(await loadOrCreateSecret(data.dir, 'copied'), 'hand-made');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.throws(() => secretPath(data.dir, '../escape'), /invalid secret name/);
  } finally {
    await data.remove();
  }
});

test('ports: a free one is found, a remembered one is reused while free', async () => {
  const data = await makeDataDir('port');
  try {
    const port = await findFreePort();
    assert.equal(await isPortFree(port), true);
    const stateFile = path.join(data.dir, 'port');
    const first = await chooseRememberedPort(stateFile);
    assert.equal(await chooseRememberedPort(stateFile), first);
    assert.equal(Number(await readFile(stateFile, 'utf8')), first);
  } finally {
    await data.remove();
  }
});

test('findExecutable searches only the PATH it is given', () => {
  assert.equal(findExecutable('sh', ''), undefined);
  assert.equal(findExecutable('sh', '/nonexistent:/bin'), '/bin/sh');
});

test('processes creating the same secrets at once (web and worker on a new volume) all read one whole value', async () => {
  const data = await makeDataDir('raced');
  try {
    const n = 300;
    const run = () => new Promise<string[]>((resolve, reject) => {
      const c = spawn(process.execPath, ['--import', 'tsx', 'test/infra/fixtures/create-secrets.ts', data.dir, String(n)]);
      let out = '';
      c.stdout.on('data', (d) => (out += d));
      c.on('error', reject);
      c.on('exit', () => resolve(JSON.parse(out) as string[]));
    });
    const all = await Promise.all(Array.from({ length: 6 }, run));
    for (let i = 0; i < n; i++) {
      const seen = new Set(all.map((a) => a[i]));
      assert.equal(seen.size, 1, `secret s${i}: ${[...seen].join(' | ')}`);
      assert.match([...seen][0]!, /^[0-9a-f]{48}$/);
    }
    assert.deepEqual((await readdir(path.join(data.dir, 'secrets'))).filter((f) => !/^s\d+$/.test(f)), [], 'no drafts left behind');
  } finally {
    await data.remove();
  }
});
