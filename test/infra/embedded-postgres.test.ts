import assert from 'node:assert/strict';
import { chmod, chown } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { appendFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { findFreePort } from '../../src/infra/free-port.js';
import { isAlive, waitForExit } from '../../src/infra/process-info.js';
import { lanAddress, makeDataDir, recordingLogger, startStandInGateway, tryConnect } from './support.js';

const query = async (url: string, sql: string) => {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
};

const postmasterPid = async (dataDir: string) =>
  Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);

const isRoot = process.getuid?.() === 0;

describe('embedded Postgres', () => {
  let data: Awaited<ReturnType<typeof makeDataDir>>;
  before(async () => {
    data = await makeDataDir('pg');
  });
  after(async () => {
    await data.remove();
  });

  test('starts in an empty folder, answers queries, loopback only, password file 0600', async () => {
    const { log, lines } = recordingLogger();
    const server = await startEmbeddedPostgres({ dataDir: data.dir, log });
    try {
      assert.match(server.url, /^postgres:\/\/postgres:[0-9a-f]{48}@127\.0\.0\.1:\d+\/gateway$/);
      const [row] = await query(server.url, "select current_database() as db, current_setting('listen_addresses') as la");
      assert.deepEqual(row, { db: 'gateway', la: '127.0.0.1' });
      await query(server.url, 'create table kept (v text); insert into kept values ($$still here$$)');
      const pw = await stat(path.join(data.dir, 'secrets', 'postgres-password'));
      assert.equal(pw.mode & 0o777, 0o600);
      const lan = lanAddress();
      if (lan) assert.equal(await tryConnect(lan, server.port), 'ECONNREFUSED');
      const bad = new URL(server.url);
      bad.password = 'password';
      await assert.rejects(query(bad.toString(), 'select 1'), /password authentication failed/);
      assert.ok(lines.some((l) => l.msg === 'embedded Postgres ready'));
    } finally {
      await server.stop();
    }
  });

  test('keeps data and port across stop and start', async () => {
    const port = Number(await readFile(path.join(data.dir, 'postgres.port'), 'utf8'));
    const server = await startEmbeddedPostgres({ dataDir: data.dir, log: recordingLogger().log });
    try {
      assert.equal(server.port, port);
      assert.deepEqual(await query(server.url, 'select v from kept'), [{ v: 'still here' }]);
    } finally {
      await server.stop();
      await server.stop(); // idempotent
    }
  });

  test('a stale postmaster.pid naming a live, unrelated process does not block start', async () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const lock = path.join(data.dir, 'postgres', 'postmaster.pid');
      await writeFile(lock, `${sleeper.pid}\n${path.join(data.dir, 'postgres')}\n`);
      const { log, lines } = recordingLogger();
      const server = await startEmbeddedPostgres({ dataDir: data.dir, log });
      await server.stop();
      assert.ok(lines.some((l) => l.level === 'warn' && /stale postmaster.pid/.test(l.msg ?? '')));
    } finally {
      sleeper.kill();
    }
  });

  test('an orphaned postmaster on our folder is stopped cleanly and replaced', async () => {
    const pgDir = path.join(data.dir, 'postgres');
    const entry = createRequire(createRequire(import.meta.url).resolve('embedded-postgres')).resolve(
      `@embedded-postgres/${process.platform}-${process.arch}`,
    );
    const { postgres } = (await import(pathToFileURL(entry).href)) as { postgres: string };
    const ids = isRoot ? { uid: Number(await idOf('-u')), gid: Number(await idOf('-g')) } : {};
    // Started outside our watchdog, as a postmaster whose gateway is gone looks.
    const args = ['-D', pgDir, '-p', String(await findFreePort()), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='];
    const orphan = spawn(postgres, args, {
      ...ids,
      cwd: pgDir,
      detached: true,
      stdio: 'ignore',
    });
    const orphanPid = orphan.pid ?? 0;
    const lockText = () => readFile(path.join(pgDir, 'postmaster.pid'), 'utf8').catch(() => '');
    for (let i = 0; i < 200 && !(await lockText()).includes('ready'); i++) await new Promise((r) => setTimeout(r, 25));
    assert.match(await lockText(), /ready/, 'the stand-in orphan should be running');
    try {
      const { log, lines } = recordingLogger();
      const server = await startEmbeddedPostgres({ dataDir: data.dir, log });
      try {
        assert.equal(isAlive(orphanPid), false);
        assert.ok(lines.some((l) => /orphaned/.test(l.msg ?? '')));
        assert.deepEqual(await query(server.url, 'select v from kept'), [{ v: 'still here' }]);
      } finally {
        await server.stop();
      }
    } finally {
      if (isAlive(orphanPid)) process.kill(orphanPid, 'SIGKILL');
    }
  });

  test('a SIGKILLed gateway does not leave Postgres running, and the next start works', async () => {
    const gateway = await startStandInGateway('postgres', data.dir);
    const pid = await postmasterPid(data.dir);
    assert.ok(isAlive(pid));
    gateway.kill('SIGKILL');
    assert.equal(await waitForExit(pid, 15_000), true, 'postmaster should stop when its gateway dies');
    const server = await startEmbeddedPostgres({ dataDir: data.dir, log: recordingLogger().log });
    await server.stop();
  });

  test('a failing start rejects with an Error carrying the Postgres log tail', async () => {
    const conf = path.join(data.dir, 'postgres', 'postgresql.conf');
    const original = await readFile(conf, 'utf8');
    await appendFile(conf, '\nshared_buffers = lots\n');
    try {
      await assert.rejects(startEmbeddedPostgres({ dataDir: data.dir, log: recordingLogger().log }), (err: Error) => {
        assert.match(err.message, /exited during start-up/);
        assert.match(err.message, /shared_buffers/);
        return true;
      });
    } finally {
      await writeFile(conf, original);
    }
  });

  test('as root, a DATA_DIR the postgres user cannot enter (in a folder we do not own) fails with a clear message', { skip: !isRoot && 'needs root' }, async () => {
    const locked = await makeDataDir('pg-locked');
    try {
      const inner = path.join(locked.dir, 'private', 'data');
      await mkdir(inner, { recursive: true, mode: 0o700 });
      // why: folders we own are opened for traversal (o+x) on purpose; one owned by someone else is not ours to change.
      await chmod(path.join(locked.dir, 'private'), 0o700);
      await chown(path.join(locked.dir, 'private'), 65534, 65534);
      await assert.rejects(
        startEmbeddedPostgres({ dataDir: inner, log: recordingLogger().log }),
        new RegExp(`cannot enter ${path.join(locked.dir, 'private')}.*chmod o\\+x`),
      );
    } finally {
      await locked.remove();
    }
  });
});

const idOf = async (flag: string) => {
  const { execFileSync } = await import('node:child_process');
  return execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim();
};
