import pg from 'pg';
import { withTransaction, type Db } from '../db/pool.js';
import { copyOut } from './copy-out.js';

/** A row as Postgres's text forms (null for SQL null), in select-list order. */
export type RawRow = (string | null)[];

export type RawQuery = (text: string, values: unknown[]) => Promise<RawRow[]>;

// why: verification reads millions of rows; per-column parsers (Date, JSON, int8) and per-row
// objects cost more than the hashing. Callers decode only what they check, once.
const RAW_TYPES = { getTypeParser: () => (v: string) => v };

/** Streams `COPY (selectSql) TO STDOUT` row by row (see copy-out.ts). */
export type RawCopy = (selectSql: string, onRow: (row: RawRow) => void) => Promise<void>;

/** Reads inside one snapshot: `query` for small results, `copy` to stream big ones, `literal` to quote a value into COPY's SQL. */
export type SnapshotReader = { query: RawQuery; copy: RawCopy; literal: (v: string) => string };

/**
 * Runs `fn` on one connection in a read-only REPEATABLE READ transaction, so
 * every batch it reads comes from one snapshot: writers and the sequencer
 * committing meanwhile can neither look like a broken head nor like leaves
 * no checkpoint covers.
 */
export const withSnapshot = <T>(db: Db, fn: (reader: SnapshotReader) => Promise<T>): Promise<T> =>
  withTransaction(db, async (c) => {
    // why: timestamps print as 'YYYY-MM-DD HH:MM:SS.ffffff+00' whatever the server's defaults are.
    await c.query("set local timezone = 'UTC'; set local datestyle = 'ISO, YMD'");
    const query: RawQuery = async (text, values) =>
      (await c.query<RawRow>({ text, values, rowMode: 'array', types: RAW_TYPES })).rows;
    return fn({ query, copy: (sql, onRow) => copyOut(c, sql, onRow), literal: (v) => c.escapeLiteral(v) });
  }, 'begin isolation level repeatable read read only');

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
