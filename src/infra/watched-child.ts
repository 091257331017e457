import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** argv[0] of the wrapper shell; lets a later start recognise a live owner. */
export const WATCHDOG_MARK = 'gateway-watchdog';

// The wrapper runs the server in the background and waits. A second
// background job blocks reading the gateway's stdin pipe: it reaches EOF when
// the gateway closes it (stop()) *or when the gateway dies in any way*,
// SIGKILL included, because the kernel closes a dead process's pipe ends. It
// then sends the server its clean-shutdown signal. No polling, no PID reuse
// race. Background jobs of a non-interactive shell get /dev/null as stdin,
// hence the copy of the pipe on fd 3.
const WRAPPER = [
  'sig=$1; shift',
  'exec 3<&0',
  '"$@" 3<&- </dev/null &',
  'server=$!',
  '( read -r _ <&3; kill -s "$sig" "$server" 2>/dev/null ) &',
  'reader=$!',
  'exec 3<&-',
  'wait "$server"; status=$?',
  'kill "$reader" 2>/dev/null',
  'exit "$status"',
].join('\n');

export type WatchedChild = {
  /** PID of the wrapper shell (also the process group id). */
  pid: number;
  /** Settles when the wrapper (hence the server) has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited: () => boolean;
  /** The last lines the server printed, for error messages. */
  logTail: () => string;
  /**
   * Asks for a clean shutdown (closes the pipe: the wrapper sends the
   * server's stop signal) and waits up to `timeoutMs`; then kills the whole
   * process group. Resolves once everything has exited.
   */
  stop: (timeoutMs: number) => Promise<void>;
};

export type WatchedChildOptions = {
  command: string;
  args: string[];
  /** Signal the server treats as "shut down cleanly" (Postgres: SIGINT, Redis: SIGTERM). */
  stopSignal: 'INT' | 'TERM';
  uid?: number;
  gid?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  onLine: (line: string) => void;
  tailLines?: number;
};

/**
 * Spawns a server that stops when we ask or when the gateway dies.
 * `detached` puts it in its own session: a Ctrl-C in the terminal reaches the
 * gateway only, so the gateway decides when the servers stop (after its drain).
 */
export const spawnWatchedChild = (o: WatchedChildOptions): WatchedChild => {
  const child: ChildProcessByStdio<Writable, Readable, Readable> = spawn(
    '/bin/sh',
    ['-c', WRAPPER, WATCHDOG_MARK, o.stopSignal, o.command, ...o.args],
    { detached: true, stdio: ['pipe', 'pipe', 'pipe'], uid: o.uid, gid: o.gid, env: o.env, cwd: o.cwd },
  );
  const tail: string[] = [];
  const max = o.tailLines ?? 40;
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > max) tail.shift();
        o.onLine(line);
      }
    });
  }
  // why: writing to the pipe is never needed; an EPIPE after the wrapper is
  // gone must not become an unhandled 'error' event.
  child.stdin.on('error', () => undefined);
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('error', (err) => {
      done = true;
      tail.push(String(err));
      resolve({ code: null, signal: null });
    });
    child.on('exit', (code, signal) => {
      done = true;
      // why: lets the wrapper's pipe reader (a separate shell process) end too.
      child.stdin.destroy();
      resolve({ code, signal });
    });
  });
  if (child.pid === undefined) throw new Error(`could not spawn /bin/sh to run ${o.command}`);
  const pid = child.pid;
  return {
    pid,
    exited,
    hasExited: () => done,
    logTail: () => tail.join('\n'),
    stop: async (timeoutMs) => {
      if (done) return;
      child.stdin.end();
      const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref());
      if ((await Promise.race([exited, timer])) === 'timeout' && !done) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await exited;
      }
    },
  };
};
