import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

type Counters = { tx: number; ins: number; upd: number; del: number; blks: number };

type TableCounters = Map<string, number[]>;

const TABLE_COLUMNS = ['n_tup_ins', 'n_tup_upd', 'n_tup_hot_upd', 'n_tup_del', 'seq_scan', 'idx_scan'] as const;

const readTables = async (c: pg.Client): Promise<TableCounters> => {
  const { rows } = await c.query<{ relname: string; v: number[] }>(
    `select relname, array[${TABLE_COLUMNS.map((k) => `coalesce(${k}, 0)::float8`).join(', ')}] as v from pg_stat_user_tables`,
  );
  return new Map(rows.map((r) => [r.relname, r.v]));
};

const read = async (url: string): Promise<Counters & { tables: TableCounters }> => {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await readTables(c);
    const { rows } = await c.query<Counters>(
      `select (xact_commit + xact_rollback)::float8 as tx, tup_inserted::float8 as ins, tup_updated::float8 as upd,
              tup_deleted::float8 as del, (blks_hit + blks_read)::float8 as blks
         from pg_stat_database where datname = current_database()`,
    );
    return { ...rows[0]!, tables };
  } finally {
    await c.end();
  }
};

/**
 * What the database did per turn over a window (pg_stat_database): transactions
 * (each statement outside a transaction is one, so this counts round trips that
 * commit), rows written and buffer pages touched.
 */
export const dbWindow = async (url: string) => {
  const start = await read(url);
  return {
    stop: async (turns: number): Promise<string> => {
      await sleep(1_200); // backends report their counters at most once a second
      const end = await read(url);
      const per = (k: keyof Counters) => ((end[k] - start[k]) / Math.max(1, turns)).toFixed(2);
      const line = `Postgres per turn: ${per('tx')} transactions, rows ${per('ins')} inserted ${per('upd')} updated ${per('del')} deleted, ${per('blks')} buffer pages`;
      if (!process.env.BENCH_DEBUG) return line;
      // Per table, per turn: what each table's rows and scans cost (BENCH_DEBUG=1).
      const tables = [...end.tables].map(([name, v]) => {
        const was = start.tables.get(name) ?? v.map(() => 0);
        return `${name}: ${TABLE_COLUMNS.map((k, i) => `${k.replace('n_tup_', '')} ${((v[i]! - was[i]!) / Math.max(1, turns)).toFixed(2)}`).join(' ')}`;
      });
      return [line, ...tables.filter((t) => / [1-9]|0\.[0-9]*[1-9]/.test(t))].join('\n    ');
    },
  };
};
