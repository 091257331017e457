import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, openSync, readFileSync } from 'node:fs';
import pg from 'pg';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** A process's resident memory now, and its peak so far (VmHWM), in MB; 0 when it is gone. */
export const rssMb = (pid: number, which: 'now' | 'peak' = 'now'): number => {
  try {
    const m = (which === 'now' ? /VmRSS:\s+(\d+)/ : /VmHWM:\s+(\d+)/).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};

/**
 * Starts a process of the repository under tsx. Its stdout is piped (to read what it prints), or,
 * with `logTo`, appended to that file: a pipe nobody reads fills up, and a process logging into it then blocks.
 */
export const startProcess = (args: string[], env: Record<string, string>, nodeArgs: string[] = [], logTo?: string): ChildProcess =>
  spawn(process.execPath, [...nodeArgs, '--import', 'tsx', ...args], {
    cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', logTo ? openSync(logTo, 'a') : 'pipe', 'inherit'],
  });

/** Resolves once `url` answers 2xx (20 s at most). */
export const waitReady = async (url: string): Promise<void> => {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(url).then((r) => r.ok).catch(() => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`not ready: ${url}`);
};

/**
 * A fresh database for one bench run on the tests' Postgres: `url` for the bench's own connections,
 * `gatewayUrl` for the gateway's. The gateway reaches a Postgres on the same machine through its unix
 * socket when there is one (as a co-located deployment would): on these VMs a loopback TCP round trip
 * costs several times the CPU. BENCH_DB_TRANSPORT=tcp measures the TCP path instead.
 */
export const createBenchDatabase = async (adminUrl: string, prefix: string) => {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const name = `${prefix}_${Date.now()}`;
  await admin.query(`create database ${name}`);
  const url = adminUrl.replace(/\/[^/]*$/, `/${name}`);
  const socketDir = '/var/run/postgresql';
  const overSocket = process.env.BENCH_DB_TRANSPORT !== 'tcp' && !process.env.TEST_DATABASE_URL && existsSync(`${socketDir}/.s.PGSQL.5432`);
  return {
    url,
    gatewayUrl: overSocket ? `postgres://postgres@localhost/${name}?host=${socketDir}` : url,
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
    /** Keeps the database (BENCH_KEEP_DB): only the admin connection closes. */
    keep: async () => admin.end(),
  };
};
