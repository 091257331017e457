import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createPool, type Db } from '../../src/db/pool.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
let pool: Db;
before(async () => {
  t = await createTestDb();
  pool = createPool(t.url, 1);
});
after(async () => {
  await pool.end();
  await t.drop();
});

const backend = async () => (await pool.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;

test('a statement the server refuses (a conflict, a constraint) keeps its connection: no new backend per expected error', async () => {
  const pid = await backend();
  await pool.query('create table probe (id int primary key)');
  await pool.query('insert into probe values (1)');
  await assert.rejects(pool.query('insert into probe values (1)'), /duplicate key/);
  await assert.rejects(pool.query(`select gw_assert(false, 'evidence head moved')`), /evidence head moved/);
  await assert.rejects(pool.query('select * from no_such_table'), /does not exist/);
  assert.equal(await backend(), pid, 'the same Postgres backend serves the next query');
});

test('a connection the server ends is dropped and replaced', async () => {
  const pid = await backend();
  await assert.rejects(pool.query('select pg_terminate_backend(pg_backend_pid())'));
  assert.notEqual(await backend(), pid);
});
