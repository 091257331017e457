import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { ensureDataDir, loadOrCreateSecret } from './data-dir.js';
import { findExecutable } from './find-executable.js';
import { chooseRememberedPort } from './free-port.js';
import type { InfraLogger } from './infra-logger.js';
import { RedisNotInstalledError } from './redis-not-installed-error.js';
import { isAlive, readCmdline, readCwd, readParentPid, signalUntilGone, waitForExit } from './process-info.js';
import { spawnWatchedChild, WATCHDOG_MARK, type WatchedChild } from './watched-child.js';

export type PrivateRedisOptions = {
  /** DATA_DIR; Redis keeps its append-only file in `${dataDir}/redis`. */
  dataDir: string;
  log: InfraLogger;
  /** The PATH to search for `redis-server` (the caller passes process.env.PATH). */
  pathEnv: string;
};

export type RunningRedis = {
  /** `redis://:password@127.0.0.1:port` for ioredis/BullMQ. */
  url: string;
  port: number;
  /** Clean shutdown (AOF fsynced), waits for the process to exit. Idempotent. */
  stop: () => Promise<void>;
};

export { RedisNotInstalledError };

// Redis reads quoted strings with C-style escapes in its config file.
const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * The settings live in a 0600 file rather than on the command line, where
 * the password would be visible to every local user through `ps`.
 * - appendonly + everysec: queued BullMQ jobs survive a restart of the gateway
 *   (at most ~1 s of writes lost on a power cut); no RDB snapshots (`save ""`).
 * - maxmemory-policy noeviction: BullMQ requires it; evicting a key would
 *   silently lose jobs or locks.
 * - bind 127.0.0.1 + requirepass: loopback only, and a password, so other
 *   local users and browsers (DNS rebinding) cannot reach the queues.
 *   protected-mode stays on; it only bites password-less servers.
 */
const renderConfig = (dir: string, port: number, password: string, pidFile: string) =>
  [
    'bind 127.0.0.1',
    `port ${port}`,
    'protected-mode yes',
    `dir ${quote(dir)}`,
    `pidfile ${quote(pidFile)}`,
    'daemonize no',
    'logfile ""',
    'appendonly yes',
    'appendfsync everysec',
    'save ""',
    'maxmemory-policy noeviction',
    `requirepass ${password}`,
    '',
  ].join('\n');

/**
 * A redis-server recorded in our pidfile may still run when the gateway and
 * its watchdog were killed together. We recognise it by name and by working
 * directory (Redis chdirs to `dir`; where /proc is missing, by the
 * `127.0.0.1:port` in its process title) and stop it with SIGTERM, which
 * fsyncs the AOF. If its parent is a live watchdog, another gateway owns it.
 */
const reclaimStaleRedis = async (dir: string, pidFile: string, port: number, log: InfraLogger) => {
  const pid = Number.parseInt(await readFile(pidFile, 'utf8').catch(() => ''), 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const argv = readCmdline(pid) ?? [];
  const cwd = readCwd(pid);
  const isRedis = argv.some((a) => a.includes('redis-server'));
  const ours = isRedis && (cwd !== undefined ? cwd === dir : argv.some((a) => a.endsWith(`:${port}`)));
  if (!ours) return;
  const ppid = readParentPid(pid);
  if (ppid !== undefined && readCmdline(ppid)?.includes(WATCHDOG_MARK)) {
    if (await waitForExit(pid, 3_000)) return;
    throw new Error(`Redis folder ${dir} is in use by another running gateway (redis-server PID ${pid}).`);
  }
  log.warn({ pid, dir }, 'stopping a redis-server left by a previous run');
  if (!(await signalUntilGone(pid, [{ signal: 'SIGTERM', waitMs: 10_000 }, { signal: 'SIGKILL', waitMs: 2_000 }]))) {
    throw new Error(`A leftover redis-server (PID ${pid}) on ${dir} did not stop; stop it by hand.`);
  }
};

/** Polls PING with the password until Redis answers, the process exits, or time runs out. */
const waitForPing = async (server: WatchedChild, port: number, password: string, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.hasExited()) return false;
    const client = new Redis({
      host: '127.0.0.1',
      port,
      password,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      enableOfflineQueue: false,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if ((await client.ping()) === 'PONG') return true;
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    if (Date.now() >= deadline) return false;
    await sleep(25);
  }
};

/**
 * Starts a private `redis-server` from PATH for BullMQ, bound to 127.0.0.1 on
 * a free port (remembered in `${dataDir}/redis/port`), password in
 * `${dataDir}/secrets/redis-password` (0600), data in `${dataDir}/redis`.
 *
 * Lifetime: it runs under the watchdog wrapper of watched-child.ts, so it
 * stops (SIGTERM, AOF fsynced) when `stop()` is called or as soon as the
 * gateway process dies, even by SIGKILL. Should the wrapper itself have been
 * killed, the pidfile check at the next start stops the leftover.
 * @throws RedisNotInstalledError when `redis-server` is not on `pathEnv`.
 */
export const startPrivateRedis = async (opts: PrivateRedisOptions): Promise<RunningRedis> => {
  const started = performance.now();
  const { log } = opts;
  const binary = findExecutable('redis-server', opts.pathEnv);
  if (!binary) throw new RedisNotInstalledError();
  const root = await ensureDataDir(opts.dataDir);
  const dir = path.join(root, 'redis');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const password = await loadOrCreateSecret(root, 'redis-password');
  const pidFile = path.join(dir, 'redis-server.pid');
  const portFile = path.join(dir, 'port');
  const previousPort = Number.parseInt(await readFile(portFile, 'utf8').catch(() => ''), 10);
  await reclaimStaleRedis(dir, pidFile, previousPort, log);

  const port = await chooseRememberedPort(portFile);
  const configFile = path.join(dir, 'redis.conf');
  await rm(configFile, { force: true });
  await writeFile(configFile, renderConfig(dir, port, password, pidFile), { mode: 0o600 });

  const server = spawnWatchedChild({
    command: binary,
    args: [configFile],
    stopSignal: 'TERM',
    cwd: dir,
    onLine: (line) => log.debug({ component: 'redis' }, line),
  });
  if (!(await waitForPing(server, port, password, 15_000))) {
    await server.stop(5_000);
    throw new Error(
      `Private redis-server (${binary}) did not answer on 127.0.0.1:${port}. Last log lines:\n${server.logTail() || '(none)'}`,
    );
  }
  log.info({ port, dir, binary, ms: Math.round(performance.now() - started) }, 'private Redis ready');
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://:${password}@127.0.0.1:${port}`,
    port,
    stop: () => (stopping ??= server.stop(15_000)),
  };
};
