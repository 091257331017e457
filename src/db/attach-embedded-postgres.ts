import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { secretPath } from '../infra/data-dir.js';
import { isAlive } from '../infra/process-info.js';

/**
 * The URL of the embedded Postgres a running gateway already serves from this
 * DATA_DIR, or null when none runs. Lets `npm run import` and `npm run verify`
 * work beside `npm start` instead of fighting it for the data folder.
 * postmaster.pid's fourth line is the port; the password is the 0600 secret.
 */
export const attachRunningEmbeddedPostgres = async (dataDir: string, database = 'gateway'): Promise<string | null> => {
  const root = path.resolve(dataDir);
  const lock = await readFile(path.join(root, 'postgres', 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (!lock) return null;
  const lines = lock.split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  if (!Number.isInteger(pid) || !isAlive(pid) || !Number.isInteger(port)) return null;
  const password = (await readFile(secretPath(root, 'postgres-password'), 'utf8').catch(() => '')).trim();
  if (!password) return null;
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
};
