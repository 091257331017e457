import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { listMigrations, migrate } from '../../src/db/migrate.js';
import { createPool, type Db } from '../../src/db/pool.js';

/**
 * Each test file gets its own database, cloned from a template that holds the
 * current migrations. Tests run against the real Postgres at TEST_DATABASE_URL
 * (default: the local server CI starts), never a mock.
 */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const withDatabase = (name: string) => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
};

const templateName = () => {
  const h = createHash('sha256');
  for (const m of listMigrations()) h.update(m.name).update(m.sql);
  return `gw_tpl_${h.digest('hex').slice(0, 12)}`;
};

const ensureTemplate = async (admin: pg.Client, name: string) => {
  // why: several test processes start at once; one builds the template, the others wait.
  await admin.query('select pg_advisory_lock(727002)');
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return;
    await admin.query(`create database ${name}`);
    const pool = createPool(withDatabase(name), 2);
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
  } finally {
    await admin.query('select pg_advisory_unlock(727002)');
  }
};

export type TestDb = { db: Db; url: string; name: string; drop: () => Promise<void> };

export const createTestDb = async (): Promise<TestDb> => {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const tpl = templateName();
  const name = `gw_t_${randomBytes(6).toString('hex')}`;
  try {
    await ensureTemplate(admin, tpl);
    await admin.query(`create database ${name} template ${tpl}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(name);
  const db = createPool(url, 10);
  return {
    db,
    url,
    name,
    drop: async () => {
      // why: pg's pool.end() resolves before its sockets close; dropping the database
      // `with (force)` then kills them mid-close and the error escapes as uncaught.
      let open = db.totalCount;
      const closed = new Promise<void>((resolve) => {
        if (open === 0) resolve();
        db.on('remove', () => --open <= 0 && resolve());
      });
      await db.end().catch(() => undefined);
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2_000))]);
      const a = new pg.Client({ connectionString: ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
};
