import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RedisNotInstalledError, startPrivateRedis } from '../../src/infra/private-redis.js';
import { isAlive, waitForExit } from '../../src/infra/process-info.js';
import { lanAddress, makeDataDir, recordingLogger, startStandInGateway, tryConnect } from './support.js';

const PATH = process.env.PATH ?? '';

const withClient = async <T>(url: string, fn: (r: Redis) => Promise<T>): Promise<T> => {
  const client = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true, enableReadyCheck: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await fn(client);
  } finally {
    client.disconnect();
  }
};

/** PING over a bare socket, without AUTH: what any local process could try. */
const rawPing = (port: number) =>
  new Promise<string>((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write('PING\r\n'));
    socket.setEncoding('utf8');
    socket.once('data', (reply: string) => {
      socket.destroy();
      resolve(reply);
    });
    socket.once('error', reject);
  });

const redisPid = async (dataDir: string) =>
  Number(await readFile(path.join(dataDir, 'redis', 'redis-server.pid'), 'utf8'));

describe('private Redis', () => {
  let data: Awaited<ReturnType<typeof makeDataDir>>;
  before(async () => {
    data = await makeDataDir('redis');
  });
  after(async () => {
    await data.remove();
  });

  test('starts, answers PING with its password, refuses without it, BullMQ settings, stops', async () => {
    const { log, lines } = recordingLogger();
    const redis = await startPrivateRedis({ dataDir: data.dir, log, pathEnv: PATH });
    const pid = await redisPid(data.dir);
    try {
      assert.match(redis.url, /^redis:\/\/:[0-9a-f]{48}@127\.0\.0\.1:\d+$/);
      assert.equal(await withClient(redis.url, (r) => r.ping()), 'PONG');
      assert.match(await rawPing(redis.port), /^-NOAUTH/);
      const config = await withClient(redis.url, async (r) => ({
        policy: await r.config('GET', 'maxmemory-policy'),
        aof: await r.config('GET', 'appendonly'),
        bind: await r.config('GET', 'bind'),
      }));
      assert.deepEqual(config, {
        policy: ['maxmemory-policy', 'noeviction'],
        aof: ['appendonly', 'yes'],
        bind: ['bind', '127.0.0.1'],
      });
      await withClient(redis.url, (r) => r.set('job:1', 'queued'));
      const lan = lanAddress();
      if (lan) assert.equal(await tryConnect(lan, redis.port), 'ECONNREFUSED');
      for (const file of ['secrets/redis-password', 'redis/redis.conf']) {
        assert.equal((await stat(path.join(data.dir, file))).mode & 0o777, 0o600, file);
      }
      assert.ok(lines.some((l) => l.msg === 'private Redis ready'));
    } finally {
      await redis.stop();
    }
    assert.equal(isAlive(pid), false);
  });

  test('keeps data and port across a restart', async () => {
    const port = Number(await readFile(path.join(data.dir, 'redis', 'port'), 'utf8'));
    const redis = await startPrivateRedis({ dataDir: data.dir, log: recordingLogger().log, pathEnv: PATH });
    try {
      assert.equal(redis.port, port);
      assert.equal(await withClient(redis.url, (r) => r.get('job:1')), 'queued');
    } finally {
      await redis.stop();
      await redis.stop();
    }
  });

  test('a SIGKILLed gateway does not leave redis-server running', async () => {
    const gateway = await startStandInGateway('redis', data.dir);
    const pid = await redisPid(data.dir);
    assert.ok(isAlive(pid));
    gateway.kill('SIGKILL');
    assert.equal(await waitForExit(pid, 10_000), true, 'redis-server should stop when its gateway dies');
  });

  test('a redis-server left running outside a watchdog is stopped and replaced', async () => {
    const conf = path.join(data.dir, 'redis', 'redis.conf');
    const leftover = spawn('redis-server', [conf], { cwd: path.dirname(conf), detached: true, stdio: 'ignore' });
    const leftoverPid = leftover.pid ?? 0;
    try {
      for (let i = 0; i < 200 && (await redisPid(data.dir).catch(() => 0)) !== leftoverPid; i++) await sleep(25);
      const { log, lines } = recordingLogger();
      const redis = await startPrivateRedis({ dataDir: data.dir, log, pathEnv: PATH });
      try {
        assert.equal(isAlive(leftoverPid), false);
        assert.ok(lines.some((l) => l.level === 'warn' && /left by a previous run/.test(l.msg ?? '')));
        assert.equal(await withClient(redis.url, (r) => r.get('job:1')), 'queued');
      } finally {
        await redis.stop();
      }
    } finally {
      if (isAlive(leftoverPid)) process.kill(leftoverPid, 'SIGKILL');
    }
  });

  test('without redis-server on PATH the error says how to install one', async () => {
    await assert.rejects(
      startPrivateRedis({ dataDir: data.dir, log: recordingLogger().log, pathEnv: '' }),
      (err: Error) => {
        assert.ok(err instanceof RedisNotInstalledError);
        assert.match(err.message, /apt-get install redis-server/);
        assert.match(err.message, /brew install redis/);
        assert.match(err.message, /REDIS_URL/);
        return true;
      },
    );
  });
});
