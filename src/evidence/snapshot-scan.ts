import pg from 'pg';
import type { Db } from '../db/pool.js';

/** A row as Postgres's text forms (null for SQL null), in select-list order. */
export type RawRow = (string | null)[];

export type RawQuery = (text: string, values: unknown[]) => Promise<RawRow[]>;

// why: verification reads millions of rows; per-column parsers (Date, JSON, int8) and per-row
// objects cost more than the hashing. Callers decode only what they check, once.
const RAW_TYPES = { getTypeParser: () => (v: string) => v };

/**
 * Runs `fn` on one connection in a read-only REPEATABLE READ transaction, so
 * every batch it reads comes from one snapshot: writers and the sequencer
 * committing meanwhile can neither look like a broken head nor like leaves
 * no checkpoint covers.
 */
export const withSnapshot = async <T>(db: Db, fn: (query: RawQuery) => Promise<T>): Promise<T> => {
  const c: pg.PoolClient = await db.connect();
  try {
    await c.query('begin isolation level repeatable read read only');
    // why: timestamps print as 'YYYY-MM-DD HH:MM:SS.ffffff+00' whatever the server's defaults are.
    await c.query("set local timezone = 'UTC'; set local datestyle = 'ISO, YMD'");
    const query: RawQuery = async (text, values) =>
      (await c.query<RawRow>({ text, values, rowMode: 'array', types: RAW_TYPES })).rows;
    const out = await fn(query);
    await c.query('commit');
    return out;
  } catch (err) {
    await c.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    c.release();
  }
};

const YIELD_EVERY = 1_000;

/**
 * Keyset scan that asks for batch N+1 before handling batch N, so Postgres
 * produces the next rows while this process hashes the current ones (on two
 * cores they overlap instead of taking turns). `next` returns the cursor after
 * a batch, or null when it was the last; `handle` sees every row in order.
 */
export const pipelinedScan = async <C>(
  fetch: (cursor: C) => Promise<RawRow[]>,
  start: C,
  next: (rows: RawRow[], cursor: C) => C | null,
  handle: (row: RawRow) => void,
): Promise<void> => {
  let cursor: C | null = start;
  let pending = fetch(start);
  while (cursor !== null) {
    const rows = await pending;
    cursor = next(rows, cursor);
    if (cursor !== null) pending = fetch(cursor);
    for (let i = 0; i < rows.length; i++) {
      handle(rows[i]!);
      // why: yielding now and then lets the driver drain the socket; otherwise Postgres stalls on a
      // full send buffer and the next batch is produced after this one is hashed instead of during.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((r) => setImmediate(r));
    }
  }
};

const PG_UTC = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;
const parseTimestamptz = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (v: string) => Date;

/**
 * A timestamptz as the JS Date that was hashed would print it: milliseconds,
 * truncated like pg's parser does. The common shape is rewritten as text;
 * anything else (years past 9999, BC) goes through pg's own parser.
 */
export const isoOf = (v: string): string => {
  const m = PG_UTC.exec(v);
  if (!m) return parseTimestamptz(v).toISOString();
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
};
