import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDb, type TestDb } from './support/test-db.js';
import { migrate } from '../src/db/migrate.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

test('migrations are applied once; re-running applies nothing', async () => {
  const again = await migrate(t.db);
  assert.deepEqual(again, []);
  const { rows } = await t.db.query('select name from schema_migrations order by name');
  assert.ok(rows.some((r) => r.name === '0001_foundation.sql'));
});

test('the database refuses to update, delete or truncate evidence', async () => {
  const now = new Date();
  await t.db.query(
    `insert into interactions (id, kind, started_at) values ('00000000-0000-7000-8000-000000000001', 'system', $1)`,
    [now],
  );
  await t.db.query(
    `insert into evidence_events (id, interaction_id, seq, type, received_at, payload, prev_hash, hash)
     values ('00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000001', 0, 'test', $1, '{}', '', 'h')`,
    [now],
  );
  await assert.rejects(t.db.query(`update evidence_events set type = 'x'`), /insert-only/);
  await assert.rejects(t.db.query(`delete from evidence_events`), /insert-only/);
  await assert.rejects(t.db.query(`truncate evidence_events cascade`), /insert-only/);
  const { rows } = await t.db.query('select type from evidence_events');
  assert.deepEqual(rows, [{ type: 'test' }]);
});
