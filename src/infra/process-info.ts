import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Small, read-only questions about other processes, used to recognise a server
 * a crashed gateway left behind. Linux answers from /proc; elsewhere `ps`.
 */

/** True while `pid` exists (EPERM means it exists but belongs to another user). */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const ps = (pid: number, field: string): string | undefined => {
  try {
    return execFileSync('ps', ['-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
};

/** The process's argument vector (as it currently shows it), or undefined. */
export const readCmdline = (pid: number): string[] | undefined => {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((s) => s !== '');
  } catch {
    return ps(pid, 'args')?.split(/\s+/);
  }
};

/** The parent's PID, or undefined when the process is gone. */
export const readParentPid = (pid: number): number | undefined => {
  try {
    // why: the command name (field 2) may hold spaces and parentheses; fields
    // after its closing parenthesis are fixed: state, then ppid.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : undefined;
  } catch {
    const out = ps(pid, 'ppid');
    return out ? Number(out) : undefined;
  }
};

/** The process's working directory (Linux only; undefined elsewhere or when unreadable). */
export const readCwd = (pid: number): string | undefined => {
  try {
    return readlinkSync(`/proc/${pid}/cwd`);
  } catch {
    return undefined;
  }
};

/** Polls until `pid` is gone or `timeoutMs` passes; resolves whether it is gone. */
export const waitForExit = async (pid: number, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
};

/**
 * Sends each signal in turn, waiting up to its time for `pid` to exit.
 * Resolves true once the process is gone. Used only on a PID that the caller
 * has identified as its own leftover server.
 */
export const signalUntilGone = async (
  pid: number,
  steps: ReadonlyArray<{ signal: NodeJS.Signals; waitMs: number }>,
): Promise<boolean> => {
  for (const { signal, waitMs } of steps) {
    try {
      process.kill(pid, signal);
    } catch {
      return !isAlive(pid);
    }
    if (await waitForExit(pid, waitMs)) return true;
  }
  return !isAlive(pid);
};
