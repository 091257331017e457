import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Db } from '../../src/db/pool.js';

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

/**
 * The same search space without a process per look: every row of every table
 * of every schema but the catalogs, as `row::text` (one statement).
 */
export const tablesAsText = async (db: Db): Promise<string> => {
  const { rows: tables } = await db.query<{ q: string }>(
    `select format('select %L || '' '' || x::text as row from %I.%I x', table_name, table_schema, table_name) as q
       from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
  );
  const { rows } = await db.query<{ row: string }>(tables.map((t) => t.q).join(' union all '));
  return rows.map((r) => r.row).join('\n');
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
