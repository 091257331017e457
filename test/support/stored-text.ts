import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { Db } from '../../src/db/pool.js';
import { TEST_REDIS_URL } from './test-redis.js';

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

/** Every key under a Redis prefix with its values as text (BullMQ's jobs, lists, sets, event streams). */
export const redisAsText = async (prefix: string): Promise<string> => {
  const r = new Redis(TEST_REDIS_URL);
  const out: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const type = await r.type(key);
        const value =
          type === 'string' ? await r.get(key)
          : type === 'hash' ? await r.hgetall(key)
          : type === 'list' ? await r.lrange(key, '0', '-1')
          : type === 'set' ? await r.smembers(key)
          : type === 'zset' ? await r.zrange(key, '0', '-1')
          : type === 'stream' ? await r.xrange(key, '-', '+')
          : null;
        out.push(`${key} ${JSON.stringify(value)}`);
      }
    } while (cursor !== '0');
  } finally {
    await r.quit();
  }
  return out.join('\n');
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
