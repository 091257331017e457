import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createIvrLookups, type IvrLookups } from '../../src/ivr/ivr-lookups.js';
import { createManualClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { seedDue, seedPolicyholder } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
let lookups: IvrLookups;
let holder: Awaited<ReturnType<typeof seedPolicyholder>>;
let dueId: string;
before(async () => {
  t = await createTestDb();
  // 04:30 UTC on the 16th is still the 15th in New York, the policyholders' zone.
  lookups = createIvrLookups(t.db, { clock: createManualClock('2026-12-16T04:30:00Z'), gracePeriodDays: 30, homeZone: 'America/New_York' });
  holder = await seedPolicyholder(t.db, { firstName: 'Lia', phone: '+12025550160', policyNumber: 'HM-160' });
  dueId = await seedDue(t.db, holder.policyId, 9_900, '2026-12-15');
});
after(async () => t.drop());

test('batched lookups answer each asker: caller IDs, open dues, payment status, with safe answers for what is unknown', async () => {
  const [known, unknown, withheld, due, none, pending, ghost, garbage] = await Promise.all([
    lookups.callerByPhone('+12025550160'),
    lookups.callerByPhone('+12025550161'),
    lookups.callerByPhone('anonymous'),
    lookups.openDue(holder.policyId),
    lookups.openDue(newId()),
    lookups.paymentStatus(dueId, 'CA0001'),
    lookups.paymentStatus(newId(), 'CA0002'),
    lookups.paymentStatus('not-a-due', 'CA0003'),
  ]);
  assert.equal(known?.firstName, 'Lia');
  assert.deepEqual(known?.policies.map((p) => p.policyNumber), ['HM-160']);
  assert.equal(unknown, null);
  assert.equal(withheld, null);
  assert.deepEqual([due?.dueId, due?.amountCents, due?.dueDate], [dueId, 9_900, '2026-12-15']);
  assert.deepEqual([due?.standing, due?.graceEndDate], ['due-today', '2027-01-14'], 'today on the policyholder\'s calendar');
  assert.equal(none, null);
  assert.equal(pending.status, 'pending', 'no charge job has finished for this call yet');
  assert.equal(ghost.status, 'failed');
  assert.equal(garbage.status, 'failed');
  await t.db.query(`update premium_dues set status = 'paid' where id = $1`, [dueId]);
  assert.equal((await lookups.paymentStatus(dueId, 'CA0001')).status, 'succeeded');
  assert.equal(await lookups.openDue(holder.policyId), null, 'a paid due is no longer owed');
});

test("a payment status comes with the call's chain head as the same read saw it", async () => {
  const p = await seedPolicyholder(t.db, { firstName: 'Noa', phone: '+12025550162', policyNumber: 'HM-162' });
  const due = await seedDue(t.db, p.policyId, 5_000, '2026-12-20');
  const call = newId();
  await t.db.query(
    `insert into interactions (id, kind, provider_ref, started_at, evidence_seq, evidence_head) values ($1, 'call', 'CA0162', now(), 7, $2)`,
    [call, 'ab'.repeat(32)],
  );
  const seen = await lookups.paymentStatus(due, 'CA0162');
  assert.deepEqual(seen.callHead, { interactionId: call, seq: 7, hash: 'ab'.repeat(32) });
  assert.equal((await lookups.paymentStatus(due, 'CA9999')).callHead, null, 'no such call');
});

test('a due is upcoming, overdue within the grace period, or past it, by the policyholder\'s calendar day', async () => {
  const standing = async (dueDate: string, n: number) => {
    const p = await seedPolicyholder(t.db, { firstName: 'Ivo', phone: `+1202555${String(n).padStart(4, '0')}`, policyNumber: `HM-9${n}` });
    await seedDue(t.db, p.policyId, 1_000, dueDate);
    const due = await lookups.openDue(p.policyId);
    return [due?.standing, due?.graceEndDate];
  };
  assert.deepEqual(await standing('2026-12-16', 1701), ['upcoming', '2027-01-15']);
  assert.deepEqual(await standing('2026-12-01', 1702), ['overdue', '2026-12-31']);
  assert.deepEqual(await standing('2026-11-15', 1703), ['overdue', '2026-12-15'], 'the last day of grace is still within it');
  assert.deepEqual(await standing('2026-11-14', 1704), ['past-grace', '2026-12-14']);
});
