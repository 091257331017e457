import { randomBytes } from 'node:crypto';
import { readFile, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ensureDataDir } from '../../infra/data-dir.js';

/** Where a running simulated carrier says it listens: `{ url, pid }` in `DATA_DIR/simulated-carrier.json`. */
export type CarrierLocation = { url: string; pid: number };

/** The file's name under DATA_DIR. */
export const CARRIER_FILE_NAME = 'simulated-carrier.json';

/** The file's path for a DATA_DIR. */
export const carrierFilePath = (dataDir: string): string => path.join(path.resolve(dataDir), CARRIER_FILE_NAME);

/**
 * Writes where the carrier listens, atomically (a private file renamed into place), so a
 * reader never sees half a file. A later worker overwrites an earlier one's: the last carrier
 * started is the one `npm run text` talks to.
 */
export const writeCarrierFile = async (dataDir: string, where: CarrierLocation): Promise<void> => {
  const file = path.join(await ensureDataDir(dataDir), CARRIER_FILE_NAME);
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  await writeFile(draft, `${JSON.stringify(where)}\n`, { flag: 'wx' });
  await rename(draft, file);
};

const readCarrierFile = async (dataDir: string): Promise<CarrierLocation | null> => {
  let text: string;
  try {
    text = await readFile(carrierFilePath(dataDir), 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CarrierLocation>;
    return typeof parsed.url === 'string' && Number.isInteger(parsed.pid) ? { url: parsed.url, pid: parsed.pid! } : null;
  } catch {
    return null;
  }
};

/** Removes the file on a clean stop, only when it is still this carrier's (another worker may have written its own since). */
export const removeCarrierFile = async (dataDir: string, where: CarrierLocation): Promise<void> => {
  const found = await readCarrierFile(dataDir);
  if (found?.url !== where.url || found.pid !== where.pid) return;
  await unlink(carrierFilePath(dataDir)).catch(() => undefined);
};

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // why: EPERM means the process exists but belongs to another user; only ESRCH means it is gone.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * The carrier recorded under DATA_DIR when its process is still alive; null when there is no
 * file, it is unreadable, or the worker that wrote it is gone (killed before it could remove it).
 */
export const findLiveCarrier = async (dataDir: string): Promise<CarrierLocation | null> => {
  const found = await readCarrierFile(dataDir);
  return found && isAlive(found.pid) ? found : null;
};
