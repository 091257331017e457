import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { InfraLogger } from '../../src/infra/infra-logger.js';

/**
 * A temp DATA_DIR. mkdtemp makes it 0700; widened to 0755 because, as root,
 * the embedded Postgres runs as the `postgres` user, which must enter it.
 */
export const makeDataDir = async (prefix: string) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), `gw-${prefix}-`));
  await chmod(dir, 0o755);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
};

/** A logger that records every line, for assertions and failure output. */
export const recordingLogger = () => {
  const lines: { level: string; msg: string | undefined; obj: object }[] = [];
  const at = (level: string) => (obj: object, msg?: string) => lines.push({ level, msg, obj });
  const log: InfraLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
};

/** A non-loopback IPv4 address of this machine, if it has one. */
export const lanAddress = (): string | undefined =>
  Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

/** Resolves the socket error code of a TCP connect, or 'connected'. */
export const tryConnect = (host: string, port: number): Promise<string> =>
  new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });

/**
 * Runs fixtures/start-and-wait.ts (a stand-in gateway) in a child process and
 * resolves once it printed READY; the test then kills it like a crash would.
 */
export const startStandInGateway = (kind: 'postgres' | 'redis', dataDir: string) =>
  new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'start-and-wait.ts'), kind, dataDir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      out += c;
      if (out.includes('READY')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`stand-in gateway exited (${code}) before READY: ${out}`)));
  });
