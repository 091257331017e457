import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { listMigrations } from '../../src/db/migrate.js';
import { newId } from '../../src/shared/ids.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const sql = listMigrations().find((m) => m.name === '0309_specialists.sql')!.sql;

test('0309 moves languages written among the skills to languages, keeps the other skills, and can run again', async () => {
  const [a, b, c] = [newId(), newId(), newId()];
  await t.db.query(
    `insert into retention_specialists (id, name, phone_e164, skills) values
       ($1, 'A', '+15550100011', '{retention,es,English}'), ($2, 'B', '+15550100012', '{payments}'), ($3, 'C', '+15550100013', '{es-MX,Spanish}')`,
    [a, b, c],
  );
  await t.db.query(sql);
  const { rows } = await t.db.query<{ id: string; languages: string[]; skills: string[]; availability: string; time_zone: string }>(
    'select id, languages, skills, availability, time_zone from retention_specialists order by name');
  assert.deepEqual(rows.map((r) => [r.languages, r.skills]), [
    [['en-US', 'es-US'], ['retention']],
    [['en-US'], ['payments']],
    [['es-US'], []],
  ]);
  assert.deepEqual([rows[0]!.availability, rows[0]!.time_zone], ['away', 'America/New_York']);
});

test('the database refuses an unknown availability or language, and a specialist binding on a token of another role', async () => {
  await assert.rejects(t.db.query(`insert into retention_specialists (id, name, phone_e164, availability) values ($1, 'X', '+15550100014', 'asleep')`, [newId()]), /availability_check/);
  await assert.rejects(t.db.query(`insert into retention_specialists (id, name, phone_e164, languages) values ($1, 'X', '+15550100014', '{fr-FR}')`, [newId()]), /languages_check/);
  const id = newId();
  await t.db.query(`insert into retention_specialists (id, name, phone_e164) values ($1, 'X', '+15550100014')`, [id]);
  await assert.rejects(t.db.query(
    `insert into api_tokens (id, name, role, token_hash, created_at, specialist_id) values ($1, 'ops', 'operator', 'h', now(), $2)`, [newId(), id]), /specialist_role_check/);
});
