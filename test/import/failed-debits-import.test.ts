import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { runImportCli } from '../../src/import/import-cli.js';
import { createManualClock } from '../../src/shared/clock.js';
import { seedDue, seedPolicy, seedPolicyholder } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
let dir: string;
const dues: Record<string, string> = {};
before(async () => {
  t = await createTestDb();
  dir = await mkdtemp(path.join(tmpdir(), 'failed-debits-'));
  const james = await seedPolicyholder(t.db, { firstName: 'James', phone: '+12025550143', policyNumber: 'FD-A-1' });
  dues.open = await seedDue(t.db, james.policyId, 11_820, '2026-12-01');
  const home = await seedPolicy(t.db, james.policyholderId, 'FD-H-2');
  dues.bank = await seedDue(t.db, home, 9_675, '2026-12-05');
  dues.paid = await seedDue(t.db, home, 9_675, '2026-11-05');
  await t.db.query(`update premium_dues set status = 'paid', paid_at = now() where id = $1`, [dues.paid]);
});
after(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

const capture = () => {
  let text = '';
  return { stream: new Writable({ write: (c, _e, done) => { text += String(c); done(); } }), text: () => text };
};
const run = async (argv: string[]) => {
  const out = capture();
  const err = capture();
  const code = await runImportCli(argv, { db: t.db, clock: createManualClock('2026-12-04T12:00:00Z'), stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text(), stderr: err.text() };
};

const HEADER = 'debit_ref,policy_number,due_date,amount,currency,failed_at,method,decline_code,return_code,reason';
const FILE = [
  HEADER,
  'D-1,FD-A-1,2026-12-01,118.20,USD,2026-12-01T14:00:00Z,card,insufficient_funds,,Not enough money', // 2: accepted
  'D-2,FD-H-2,2026-12-05,96.75,,2026-12-03T10:00:00Z,bank,,R02,Account closed', // 3: accepted
  'D-3,FD-H-2,2026-11-05,96.75,,2026-11-05T10:00:00Z,card,expired_card,,', // 4: due already paid
  'D-4,FD-A-1,2026-10-01,118.20,,2026-10-01T10:00:00Z,card,lost_card,,', // 5: no such due
  'D-5,NO-SUCH,2026-12-01,10.00,,2026-12-01T10:00:00Z,card,lost_card,,', // 6: no such policy
  'D-6,FD-A-1,2026-12-01,abc,,2026-12-01T10:00:00Z,card,,,', // 7: bad amount, no reason
  'D-1,FD-A-1,2026-12-01,118.20,,2026-12-01T14:00:00Z,card,insufficient_funds,,', // 8: D-1 again in the file
  'D-7,FD-A-1,2026-12-01,118.20,,2026-12-02T14:00:00Z,card,do_not_honor,,Second try also failed', // 9: accepted, same due: no second recovery
].join('\n');

const attempts = async () =>
  (await t.db.query<{ due_id: string; channel: string; status: string; decline_code: string; decline_class: string; failure_reason: string; provider_payment_id: string }>(
    `select due_id, channel, status, decline_code, decline_class, failure_reason, provider_payment_id from payment_attempts order by provider_payment_id`)).rows;
const recoveryStarts = async () =>
  (await t.db.query<{ payload: { dueId: string; declineClass: string; attemptId: string }; correlation: string }>(
    `select payload, correlation from outbox where topic = 'recovery.start' order by created_at`)).rows;

test('a file with good and bad rows: good rows recorded with a recovery each, bad rows in the rejects file with the reason', async () => {
  const file = path.join(dir, 'failures.csv');
  await writeFile(file, FILE);
  const r = await run(['failed-debits', file]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stdout, /rows read\s+8\n\s+accepted\s+3\n\s+duplicate\s+0\n\s+rejected\s+5\n\s+recoveries queued\s+2/);

  const rejects = await readFile(path.join(dir, 'failures.rejects.csv'), 'utf8');
  const lines = rejects.trim().split('\r\n');
  assert.equal(lines[0], `line,reason,${HEADER}`);
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), ['4', '5', '6', '7', '8']);
  assert.match(lines[1]!, /^4,due_date: the due of 2026-11-05 on policy FD-H-2 is paid,D-3,FD-H-2,/);
  assert.match(lines[2]!, /^5,due_date: policy FD-A-1 has no premium due on 2026-10-01,D-4,/);
  assert.match(lines[3]!, /^6,policy_number: no policy NO-SUCH,D-5,/);
  assert.match(lines[4]!, /^7,"amount: ""abc"" is not an amount in dollars/);
  assert.match(lines[5]!, /^8,debit_ref: D-1 already appears on line 2,D-1,/);

  const recorded = await attempts();
  assert.deepEqual(recorded.map((a) => [a.provider_payment_id, a.due_id, a.channel, a.status, a.decline_class]), [
    ['D-1', dues.open, 'import', 'failed', 'retry-later'],
    ['D-2', dues.bank, 'import', 'failed', 'never-retry'],
    ['D-7', dues.open, 'import', 'failed', 'retry-later'],
  ]);
  assert.match(recorded[0]!.failure_reason, /Not enough money on the account today/);
  assert.equal(recorded[1]!.decline_code, 'invalid_account', 'the bank return R02 is classified as a closed account');

  const starts = await recoveryStarts();
  assert.deepEqual(starts.map((s) => [s.payload.dueId, s.payload.declineClass, s.correlation]).sort(), [
    [dues.open, 'retry-later', `due:${dues.open}`], [dues.bank, 'never-retry', `due:${dues.bank}`],
  ].sort(), 'one recovery per due, however many failures of it');

  const { rows: evidence } = await t.db.query<{ payload: Record<string, unknown> }>(
    `select e.payload from evidence_events e join interactions i on i.id = e.interaction_id
      where i.kind = 'payment' and i.provider_ref = $1 and e.type = 'payment.failed' order by e.seq`, [`due:${dues.bank}`]);
  assert.equal(evidence.length, 1);
  assert.equal(evidence[0]!.payload.source, 'import');
  assert.equal(evidence[0]!.payload.debitRef, 'D-2');
  assert.equal(evidence[0]!.payload.returnCode, 'R02');
  assert.equal(evidence[0]!.payload.insurerReason, 'Account closed');
  assert.equal(evidence[0]!.payload.recoveryStarted, true);
});

test('the same file again records nothing twice and starts no second recovery', async () => {
  const file = path.join(dir, 'failures.csv');
  const before = { attempts: (await attempts()).length, starts: (await recoveryStarts()).length };
  const r = await run(['failed-debits', file, '--rejects', path.join(dir, 'again.rejects.csv')]);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /accepted\s+0\n\s+duplicate\s+3\n\s+rejected\s+5\n\s+recoveries queued\s+0/);
  assert.equal((await attempts()).length, before.attempts);
  assert.equal((await recoveryStarts()).length, before.starts);
});

test('a clean file exits 0; a bad command line exits 64; a wrong header exits 1 before writing anything', async () => {
  const clean = path.join(dir, 'clean.csv');
  await writeFile(clean, `${HEADER}\nD-1,FD-A-1,2026-12-01,118.20,USD,2026-12-01T14:00:00Z,card,insufficient_funds,,\n`);
  assert.equal((await run(['failed-debits', clean])).code, 0);
  const usage = await run(['failed-debits']);
  assert.equal(usage.code, 64);
  assert.match(usage.stderr, /usage: npm run import -- failed-debits FILE.csv/);
  assert.equal((await run(['failed-debits', clean, '--batch'])).code, 64);
  const wrong = path.join(dir, 'wrong.csv');
  await writeFile(wrong, 'ref,policy\nX,Y\n');
  const r = await run(['failed-debits', wrong]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not the documented failed-debit CSV header: unknown column\(s\): "ref", "policy"; missing required column\(s\): debit_ref/);
});

test('the same failures imported twice at once: each recorded once, one recovery per due, the rest duplicates', async () => {
  const { importFailedDebits } = await import('../../src/import/import-failed-debits.js');
  const holder = await seedPolicyholder(t.db, { firstName: 'Cara', phone: '+12025550199', policyNumber: 'FD-C-3' });
  const due = await seedDue(t.db, holder.policyId, 5_000, '2026-12-03');
  const csv = [HEADER, ...[1, 2, 3].map((n) => `C-${n},FD-C-3,2026-12-03,50.00,,2026-12-03T0${n}:00:00Z,card,insufficient_funds,,`)].join('\n');
  const clock = createManualClock('2026-12-04T12:00:00Z');
  const reports = await Promise.all([1, 2, 3].map(() => importFailedDebits({ input: Readable.from([Buffer.from(csv)]), db: t.db, clock })));
  assert.deepEqual(reports.map((r) => r.rejected), [0, 0, 0]);
  assert.equal(reports.reduce((n, r) => n + r.accepted, 0), 3, 'each reference accepted by exactly one of the imports');
  assert.equal(reports.reduce((n, r) => n + r.duplicate, 0), 6);
  const { rows } = await t.db.query(`select 1 from payment_attempts where due_id = $1`, [due]);
  assert.equal(rows.length, 3);
  assert.equal((await recoveryStarts()).filter((s) => s.payload.dueId === due).length, 1);
});
