import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { importPolicies } from '../../src/import/import-policies.js';
import { createManualClock } from '../../src/shared/clock.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { baseRow, csvOf, streamOf } from './csv-fixture.js';

const DEMO = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../demo/policyholders.csv');
const clock = createManualClock('2026-11-23T12:00:00Z');

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const counts = async () => {
  const { rows } = await t.db.query(
    `select (select count(*) from policyholders) holders, (select count(*) from policyholder_phones) phones,
            (select count(*) from consents) consents, (select count(*) from policies) policies,
            (select count(*) from premium_dues) dues`,
  );
  return rows[0] as Record<string, number>;
};

test('a wrong header is one clear error and nothing is written', async () => {
  const text = csvOf([baseRow(1)]).replace('first_name', 'given_name');
  await assert.rejects(
    importPolicies({ input: streamOf(text), db: t.db, clock }),
    (e: Error & { code?: string }) =>
      e.code === 'IMPORT_BAD_FILE' &&
      e.message.includes('unknown column(s): "given_name"') &&
      e.message.includes('missing required column(s): first_name'),
  );
  assert.deepEqual(await counts(), { holders: 0, phones: 0, consents: 0, policies: 0, dues: 0 });
});

test('the demo CSV imports cleanly from a path', async () => {
  const report = await importPolicies({ input: DEMO, db: t.db, clock });
  assert.equal(report.rejected, 0, JSON.stringify(report.rejects));
  assert.equal(report.read, 9);
  assert.equal(report.inserted, 9);
  // 8 holders, 2 with a second phone, 7 stating consent on both channels, every in-force policy owes a due.
  assert.deepEqual(await counts(), { holders: 8, phones: 10, consents: 14, policies: 9, dues: 8 });
});

test('rows land as documented: names, E.164 phones, cents, dates, consent with source and time, dues', async () => {
  const { rows: holders } = await t.db.query(
    `select h.first_name, h.last_name, h.locale, h.time_zone, h.date_of_birth, h.zip,
            array_agg(ph.phone_e164 || ':' || ph.label order by ph.label desc) phones
       from policyholders h join policyholder_phones ph on ph.policyholder_id = h.id
      where h.external_ref in ('C-1001', 'C-1005') group by h.id order by h.external_ref`,
  );
  assert.deepEqual(holders, [
    { first_name: 'María', last_name: 'González', locale: 'es-US', time_zone: 'America/Chicago',
      date_of_birth: '1984-03-12', zip: '60608', phones: ['+13125550143:mobile'] },
    { first_name: 'Linda', last_name: 'Okafor', locale: 'en-US', time_zone: 'America/Chicago',
      date_of_birth: '1982-12-01', zip: '77004', phones: ['+17135550122:mobile', '+17135550135:alternate'] },
  ]);
  const { rows: consents } = await t.db.query(
    `select channel, granted, source, recorded_at from consents where phone_e164 = '+12065550190' order by channel`,
  );
  assert.deepEqual(consents, [
    { channel: 'sms', granted: false, source: 'import:sms-keyword', recorded_at: new Date('2026-04-03T04:40:00Z') },
    { channel: 'voice', granted: true, source: 'import:sms-keyword', recorded_at: new Date('2026-04-03T04:40:00Z') },
  ]);
  const { rows: policies } = await t.db.query(
    `select p.policy_number, p.sum_insured_cents, p.premium_cents, p.billing_frequency, p.next_due_date,
            p.paid_to_date, p.status, d.due_date, d.amount_cents, d.status due_status
       from policies p join policyholders h on h.id = p.policyholder_id
       left join premium_dues d on d.policy_id = p.id
      where h.external_ref in ('C-1002', 'C-1003') order by p.policy_number`,
  );
  assert.deepEqual(policies, [
    { policy_number: 'HM-A-200874', sum_insured_cents: 5_000_000, premium_cents: 11820, billing_frequency: 'monthly',
      next_due_date: '2026-12-05', paid_to_date: '2026-11-05', status: 'active', due_date: '2026-12-05',
      amount_cents: 11820, due_status: 'open' },
    { policy_number: 'HM-H-300412', sum_insured_cents: 42_000_000, premium_cents: 9675, billing_frequency: 'monthly',
      next_due_date: '2026-12-05', paid_to_date: '2026-11-05', status: 'active', due_date: '2026-12-05',
      amount_cents: 9675, due_status: 'open' },
    { policy_number: 'HM-L-100587', sum_insured_cents: 15_000_000, premium_cents: 3190, billing_frequency: 'monthly',
      next_due_date: '2026-11-15', paid_to_date: '2026-10-15', status: 'grace', due_date: '2026-11-15',
      amount_cents: 3190, due_status: 'open' },
  ]);
  const { rows: cancelled } = await t.db.query(
    `select count(d.*)::int n from policies p left join premium_dues d on d.policy_id = p.id where p.status = 'cancelled'`,
  );
  assert.deepEqual(cancelled, [{ n: 0 }]);
});

test('re-running the same file changes nothing and says so', async () => {
  const before = await counts();
  const { rows: stamps } = await t.db.query(`select max(updated_at) u from policies`);
  clock.advance(3_600_000);
  const report = await importPolicies({ input: DEMO, db: t.db, clock });
  assert.deepEqual(
    { read: report.read, inserted: report.inserted, updated: report.updated, unchanged: report.unchanged },
    { read: 9, inserted: 0, updated: 0, unchanged: 9 },
  );
  assert.deepEqual(await counts(), before);
  assert.deepEqual((await t.db.query(`select max(updated_at) u from policies`)).rows, stamps);
});

test('a changed row is reported as updated; its open due follows the premium', async () => {
  const row = { ...baseRow(1), premium: '25.00' };
  const first = await importPolicies({ input: streamOf(csvOf([row])), db: t.db, clock });
  assert.equal(first.inserted, 1);
  const second = await importPolicies({ input: streamOf(csvOf([{ ...row, premium: '27.50' }])), db: t.db, clock });
  assert.deepEqual([second.inserted, second.updated, second.unchanged], [0, 1, 0]);
  const { rows } = await t.db.query(
    `select p.premium_cents, d.amount_cents from policies p join premium_dues d on d.policy_id = p.id
      where p.policy_number = 'TP-1'`,
  );
  assert.deepEqual(rows, [{ premium_cents: 2750, amount_cents: 2750 }]);
  const email = await importPolicies({ input: streamOf(csvOf([{ ...row, premium: '27.50', email: 'new@example.com' }])), db: t.db, clock });
  assert.deepEqual([email.updated, email.unchanged], [1, 0]);
});

test('many rows import across several batches with per-batch holders spanning batches', async () => {
  const rows = Array.from({ length: 2500 }, (_, i) => ({ ...baseRow(1000 + i), customer_id: `B-${Math.floor(i / 3)}`, first_name: 'Bulk', last_name: `Holder${Math.floor(i / 3)}` }));
  const report = await importPolicies({ input: streamOf(csvOf(rows)), db: t.db, clock, batchSize: 400 });
  assert.deepEqual([report.read, report.inserted, report.rejected], [2500, 2500, 0]);
  const { rows: n } = await t.db.query(`select count(*)::int n from policyholders where external_ref like 'B-%'`);
  assert.deepEqual(n, [{ n: 834 }]);
  const again = await importPolicies({ input: streamOf(csvOf(rows)), db: t.db, clock, batchSize: 400 });
  assert.equal(again.unchanged, 2500);
});
