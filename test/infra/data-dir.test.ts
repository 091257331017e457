import assert from 'node:assert/strict';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
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
