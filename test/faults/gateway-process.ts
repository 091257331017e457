import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(import.meta.dirname, '..', '..');

/** A gateway role (`web` or `worker`) running as its own process, as production runs it. */
export type GatewayProcess = {
  readonly role: string;
  readonly pid: number;
  /** The last lines it wrote (stderr and stdout), for failure messages. */
  tail: () => string;
  exited: () => boolean;
  /** SIGKILL: no drain, no cleanup, as a crash or an OOM kill. */
  kill: () => Promise<void>;
  /** SIGTERM and wait: the graceful stop. */
  stop: () => Promise<void>;
};

const exitOf = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/**
 * Starts `src/main.ts <role>` with `env` (added to PATH only: nothing of this process's own
 * environment leaks in) and resolves once its /healthz on `healthPort` answers 200. Its output
 * is appended to `logFile` when given.
 */
export const startGatewayProcess = async (
  role: 'web' | 'worker', env: Record<string, string>, healthPort: number, logFile?: string,
): Promise<GatewayProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', role], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const file = logFile ? createWriteStream(logFile, { flags: 'a' }) : null;
  const keep = (chunk: Buffer) => {
    file?.write(chunk);
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 60) lines.splice(0, lines.length - 60);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const proc: GatewayProcess = {
    role,
    pid: child.pid!,
    tail: () => lines.join('\n'),
    exited: () => child.exitCode !== null || child.signalCode !== null,
    kill: async () => {
      child.kill('SIGKILL');
      await exitOf(child);
    },
    stop: async () => {
      if (proc.exited()) return;
      child.kill('SIGTERM');
      await Promise.race([exitOf(child), sleep(15_000).then(() => child.kill('SIGKILL'))]);
      await exitOf(child);
    },
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (proc.exited()) throw new Error(`${role} exited during start:\n${proc.tail()}`);
    const ok = await fetch(`http://127.0.0.1:${healthPort}/healthz`, { signal: AbortSignal.timeout(1_000) }).then((r) => r.ok, () => false);
    if (ok) return proc;
    await sleep(200);
  }
  await proc.kill();
  throw new Error(`${role} did not answer /healthz within 60 s:\n${proc.tail()}`);
};
