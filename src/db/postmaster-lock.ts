import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { InfraLogger } from '../infra/infra-logger.js';
import { isAlive, readCmdline, readParentPid, signalUntilGone, waitForExit } from '../infra/process-info.js';
import { WATCHDOG_MARK } from '../infra/watched-child.js';

/**
 * Deals with a `postmaster.pid` left in the data folder before we start.
 *
 * - PID dead: nothing to do, Postgres replaces a stale lock file itself.
 * - PID alive but not a postgres serving this folder (PIDs are reused, often
 *   after a container restart): Postgres would refuse to start ("lock file
 *   already exists"), so we delete the stale file.
 * - A postgres for this folder whose parent is our watchdog wrapper: another
 *   gateway is running on this DATA_DIR. Its server stops by itself within a
 *   moment if that gateway just died; otherwise we refuse to start.
 * - A postgres for this folder with any other parent: an orphan (its gateway
 *   and wrapper were killed, e.g. `kill -9` of the process group but not the
 *   postmaster). We stop it rather than reuse it: we did not start it, its log
 *   goes nowhere, it may run other settings, and we could not wait for its
 *   exit at shutdown. SIGTERM (smart shutdown, waits for sessions, whose
 *   clients died with the gateway) then SIGINT (fast: rolls back and
 *   disconnects); both end in a clean checkpoint, so no crash recovery and no
 *   data loss. A restart costs ~0.1 s.
 */
export const reclaimPostmasterLock = async (pgDir: string, log: InfraLogger): Promise<void> => {
  const lockFile = path.join(pgDir, 'postmaster.pid');
  const text = await readFile(lockFile, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;

  const argv = readCmdline(pid) ?? [];
  const servesThisDir =
    path.basename(argv[0] ?? '') === 'postgres' &&
    argv.some((arg, i) => argv[i - 1] === '-D' && path.resolve(arg) === pgDir);
  if (!servesThisDir) {
    log.warn({ pid, lockFile }, 'removing a stale postmaster.pid whose PID now belongs to another process');
    await rm(lockFile, { force: true });
    return;
  }

  const ppid = readParentPid(pid);
  const parentArgv = ppid === undefined ? undefined : readCmdline(ppid);
  if (parentArgv?.includes(WATCHDOG_MARK)) {
    if (await waitForExit(pid, 3_000)) return;
    throw new Error(
      `Postgres data folder ${pgDir} is in use by another running gateway (postmaster PID ${pid}, ` +
        `wrapper PID ${ppid}). Stop that gateway first, or give this one another DATA_DIR.`,
    );
  }

  log.warn({ pid, pgDir }, 'stopping an orphaned embedded Postgres left by a previous run');
  const gone = await signalUntilGone(pid, [
    { signal: 'SIGTERM', waitMs: 5_000 },
    { signal: 'SIGINT', waitMs: 15_000 },
  ]);
  if (!gone) {
    throw new Error(`An orphaned Postgres (PID ${pid}) on ${pgDir} did not stop; stop it by hand (kill ${pid}).`);
  }
};
