import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { importPolicies } from '../../src/import/import-policies.js';
import { createManualClock } from '../../src/shared/clock.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { baseRow, csvOf, streamOf } from './csv-fixture.js';

const clock = createManualClock('2026-11-23T12:00:00Z');

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const policyNumbers = async () =>
  (await t.db.query<{ policy_number: string }>('select policy_number from policies order by policy_number')).rows.map(
    (r) => r.policy_number,
  );

test('bad rows are reported with line numbers and reasons while good rows import', async () => {
  const rows = [
    baseRow(1), // line 2: good
    { ...baseRow(2), phone: '555-12' },
    { ...baseRow(3), next_due_date: '2026-13-01' },
    { ...baseRow(4), status: 'frozen' },
    { ...baseRow(5), premium: '-10.00' },
    { ...baseRow(6), time_zone: 'Mars/Olympus' },
    { ...baseRow(7), policy_number: 'TP-1' }, // line 8: duplicate of line 2
    { ...baseRow(8), last_name: '' },
    baseRow(9), // line 10: good
    { ...baseRow(10), customer_id: 'T-9', first_name: 'Someone', last_name: 'Else' },
    { ...baseRow(11), customer_id: 'T-9', first_name: 'first9', last_name: ' LAST9 ' }, // same person, other spelling
  ];
  const report = await importPolicies({ input: streamOf(csvOf(rows)), db: t.db, clock });
  assert.deepEqual(
    { read: report.read, inserted: report.inserted, rejected: report.rejected },
    { read: 11, inserted: 3, rejected: 8 },
  );
  assert.deepEqual(
    report.rejects.map((r) => [r.line, r.reasons.join('; ')]),
    [
      [3, 'phone: "555-12" is not a valid phone number'],
      [4, 'next_due_date: "2026-13-01" is not a date in YYYY-MM-DD form'],
      [5, 'status: "frozen" is not active, grace, cancelled, lapsed or reinstated'],
      [6, 'premium: "-10.00" must not be negative'],
      [7, 'time_zone: "Mars/Olympus" is not an IANA time zone (e.g. America/Chicago)'],
      [8, 'policy_number: TP-1 already appears on line 2'],
      [9, 'last_name: is required'],
      [11, 'customer_id: T-9 is "First9 Last9" on line 10, "Someone Else" here'],
    ],
  );
  assert.equal(report.rejects[0]?.record[4], '555-12', 'the original cells are kept for the rejects file');
  assert.deepEqual(await policyNumbers(), ['TP-1', 'TP-11', 'TP-9']);
});

test('a row with too few fields is a bad row, not a crash', async () => {
  const text = csvOf([baseRow(20)]) + 'T-21,Ann,Short\n';
  const report = await importPolicies({ input: streamOf(text), db: t.db, clock });
  assert.deepEqual(report.rejects.map((r) => [r.line, r.reasons]), [[3, ['row has 3 fields, the header has 25']]]);
  assert.equal(report.inserted, 1);
});

test('a policy that belongs to another customer in the database is refused', async () => {
  const report = await importPolicies({
    input: streamOf(csvOf([{ ...baseRow(30), policy_number: 'TP-1' }])),
    db: t.db,
    clock,
  });
  assert.deepEqual(report.rejects.map((r) => [r.line, r.reasons]), [
    [2, ['policy_number: TP-1 belongs to customer T-1 in the database']],
  ]);
  const { rows } = await t.db.query(
    `select h.external_ref from policies p join policyholders h on h.id = p.policyholder_id where policy_number = 'TP-1'`,
  );
  assert.deepEqual(rows, [{ external_ref: 'T-1' }]);
});

test('malformed CSV quoting is a clear fatal error naming the line', async () => {
  const text = csvOf([baseRow(40)]) + 'T-41,"Ann"x,Lee\n';
  await assert.rejects(
    importPolicies({ input: streamOf(text), db: t.db, clock }),
    (e: Error & { code?: string }) => e.code === 'IMPORT_BAD_FILE' && /not valid CSV at line 3/.test(e.message),
  );
});

test('an empty file and a missing file are clear errors', async () => {
  await assert.rejects(importPolicies({ input: streamOf(''), db: t.db, clock }), /the file is empty/);
  await assert.rejects(
    importPolicies({ input: '/nonexistent/policies.csv', db: t.db, clock }),
    (e: Error & { code?: string }) => e.code === 'IMPORT_BAD_FILE' && /cannot read \/nonexistent\/policies.csv/.test(e.message),
  );
});

test('consent: blank leaves it alone, a re-import cannot undo a later STOP, a dated grant can', async () => {
  const phone = '+12025550150';
  const row = { ...baseRow(50), phone, sms_consent: 'yes', voice_consent: 'no' };
  await importPolicies({ input: streamOf(csvOf([row])), db: t.db, clock });
  const consent = async () =>
    (await t.db.query(`select channel, granted, source from consents where phone_e164 = $1 order by channel`, [phone])).rows;
  assert.deepEqual(await consent(), [
    { channel: 'sms', granted: true, source: 'import' },
    { channel: 'voice', granted: false, source: 'import' },
  ]);

  // The customer texts STOP later (what the SMS domain will record).
  clock.advance(60_000);
  await t.db.query(
    `update consents set granted = false, source = 'sms-keyword', recorded_at = $2 where phone_e164 = $1 and channel = 'sms'`,
    [phone, clock.now()],
  );
  clock.advance(60_000);
  const again = await importPolicies({ input: streamOf(csvOf([row])), db: t.db, clock });
  assert.equal(again.unchanged, 1);
  assert.deepEqual((await consent())[0], { channel: 'sms', granted: false, source: 'sms-keyword' });

  const blank = await importPolicies({ input: streamOf(csvOf([{ ...row, sms_consent: '', voice_consent: '' }])), db: t.db, clock });
  assert.equal(blank.unchanged, 1);

  const dated = { ...row, sms_consent: 'yes', consent_source: 'paper-form', consent_at: '2026-11-23T07:01:30-05:00' };
  // 12:01:30Z: after the STOP (12:01Z), before now (12:02Z).
  const regrant = await importPolicies({ input: streamOf(csvOf([dated])), db: t.db, clock });
  assert.equal(regrant.updated, 1);
  assert.deepEqual((await consent())[0], { channel: 'sms', granted: true, source: 'import:paper-form' });
});
