import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time spent by each part of a benchmark over a window (Linux /proc): the
 * named processes, every Postgres process, and the rest of the machine. Per
 * turn, it says where the cost goes, and it moves far less than throughput
 * when other work shares the machine's cores.
 */

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, in ticks (fields 14 and 15 of /proc/PID/stat), with its exited children's (16, 17) if asked. */
const processTicks = (pid: number | string, withChildren = false): number => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]) + (withChildren ? Number(fields[13]) + Number(fields[14]) : 0);
  } catch {
    return 0; // it exited
  }
};

/**
 * Every Postgres process's CPU, those that exited included: a backend that ends (a pool closing an
 * idle connection) leaves its time in its parent's cutime/cstime (fields 16 and 17), the postmaster's.
 */
const postgresTicks = (): number => {
  let sum = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      sum += processTicks(pid, true);
    } catch {
      // gone meanwhile
    }
  }
  return sum;
};

/** Busy ticks of the whole machine (everything but idle and iowait), summed over cores. */
const machineBusyTicks = (): { busy: number; all: number } => {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const all = cpu.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: all - cpu[3]! - cpu[4]!, all };
};

type Sample = { named: Map<string, number>; postgres: number; busy: number; all: number };

const sample = (pids: Record<string, number | undefined>): Sample => {
  const m = machineBusyTicks();
  return {
    named: new Map(Object.entries(pids).map(([name, pid]) => [name, pid ? processTicks(pid) : 0])),
    postgres: postgresTicks(),
    ...m,
  };
};

/** Starts a window; `stop(turns)` returns a line of CPU milliseconds per turn by part. */
export const cpuWindow = (pids: Record<string, number | undefined>) => {
  const start = sample(pids);
  return {
    stop: (turns: number): string => {
      const end = sample(pids);
      const ms = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND / Math.max(1, turns);
      const parts: [string, number][] = [...end.named].map(([name, t]) => [name, t - (start.named.get(name) ?? 0)]);
      parts.push(['postgres', end.postgres - start.postgres]);
      const busy = end.busy - start.busy;
      const counted = parts.reduce((a, [, n]) => a + n, 0);
      parts.push(['rest of machine', Math.max(0, busy - counted)]);
      const load = (100 * busy) / Math.max(1, end.all - start.all);
      return `CPU ms per turn: ${parts.map(([n, t]) => `${n} ${ms(t).toFixed(3)}`).join(', ')}; total ${ms(busy).toFixed(3)}; machine ${load.toFixed(0)}% busy`;
    },
  };
};
