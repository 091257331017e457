import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Creates DATA_DIR (and parents) if missing; returns its absolute path. */
export const ensureDataDir = async (dataDir: string): Promise<string> => {
  const abs = path.resolve(dataDir);
  await mkdir(abs, { recursive: true });
  return abs;
};

const SECRET_NAME = /^[a-z0-9][a-z0-9._-]*$/i;

/** Where the secret called `name` lives: `${dataDir}/secrets/${name}`. */
export const secretPath = (dataDir: string, name: string): string => {
  if (!SECRET_NAME.test(name)) throw new Error(`invalid secret name ${JSON.stringify(name)}`);
  return path.join(path.resolve(dataDir), 'secrets', name);
};

/**
 * Reads the secret file at `file`, creating it with `generate()` on first use.
 * The file is mode 0600 and its folder 0700: only the gateway's OS user reads
 * them. A file found with looser bits (copied in by hand, say) is tightened
 * to 0600 before use.
 * Processes creating the same file at once (web and worker starting on a new
 * volume) agree: each writes its value to a private file and links it into
 * place; the link is atomic and fails if the name exists, so the file appears
 * only whole, one process wins and the others read the winner's value.
 */
export const readOrCreateSecretFile = async (file: string, generate: () => string): Promise<string> => {
  // why: only the secrets folder itself is 0700. A recursive mkdir with that mode would also make
  // DATA_DIR 0700, and the embedded Postgres (running as the `postgres` user when we are root)
  // could then no longer enter DATA_DIR/postgres.
  const dir = path.dirname(file);
  await mkdir(path.dirname(dir), { recursive: true });
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.new`;
  await writeFile(draft, `${generate()}\n`, { flag: 'wx', mode: 0o600 });
  try {
    await link(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(draft);
  }
  const st = await stat(file);
  if ((st.mode & 0o077) !== 0) await chmod(file, 0o600);
  const value = (await readFile(file, 'utf8')).trim();
  if (!value) throw new Error(`secret file ${file} is empty; delete it to have a new secret generated`);
  return value;
};

/** A random secret of `bytes` bytes as lowercase hex (URL- and config-safe). */
export const randomHex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Read-or-create `${dataDir}/secrets/${name}` holding `bytes` random bytes in hex. */
export const loadOrCreateSecret = (dataDir: string, name: string, bytes = 24): Promise<string> =>
  readOrCreateSecretFile(secretPath(dataDir, name), () => randomHex(bytes));
