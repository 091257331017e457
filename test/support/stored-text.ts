import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Everything a test database holds, as text: `pg_dump --data-only` of every
 * table, so a search covers every column of every row (jsonb, snapshots,
 * stored answers, outbox payloads, evidence) without naming them.
 */
export const dumpDatabase = async (url: string): Promise<string> => {
  const { stdout } = await run('pg_dump', ['--data-only', '--no-owner', '--no-privileges', url], { maxBuffer: 256 * 1024 * 1024 });
  return stdout;
};

/** A pino destination keeping every line written, for searching the log a test produced. */
export const captureLog = () => {
  const lines: string[] = [];
  return {
    stream: { write: (line: string) => void lines.push(line) },
    text: () => lines.join(''),
    lines,
  };
};
