import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { newId } from '../../src/shared/ids.js';
import { findSaveMetrics } from '../../src/retention/save-metrics.js';
import { seedPolicyholder } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const day = (d: string) => new Date(`${d}T15:00:00Z`);
let n = 0;
/** A decided retention case on a fresh policy (and optionally a later cancellation of the same policy). */
const decided = async (o: { reason: string; outcome: string; offer?: string; at: string; cancelledAgainOn?: string }) => {
  n += 1;
  const p = await seedPolicyholder(t.db, { firstName: 'Case', phone: `+1202555${7000 + n}`, policyNumber: `HM-S-${100000 + n}` });
  const insert = (outcome: string, at: string, offer: string | null) => t.db.query(
    `insert into cancellation_requests (id, policy_id, policyholder_id, channel, source_ref, requested_at, status, reason, outcome, offer, outcome_at)
     values ($1, $2, $3, 'ivr', $4, $5, $6, $7, $8, $9, $5)`,
    [newId(), p.policyId, p.policyholderId, `CA${newId().replace(/-/g, '')}`, day(at), outcome === 'cancelled' ? 'cancelled' : 'retained', o.reason, outcome, offer ? JSON.stringify({ kind: offer }) : null],
  );
  await insert(o.outcome, o.at, o.offer ?? null);
  if (o.cancelledAgainOn) await insert('cancelled', o.cancelledAgainOn, null);
};

test('save rate: kept 30 days counts as saved, cancelled within 30 days as lost, younger cases pending; by reason and by offer', async () => {
  // Decided in November; "now" is 20 December.
  await decided({ reason: 'too-expensive', outcome: 'downgraded', offer: 'downgrade-tier', at: '2026-11-01' });
  await decided({ reason: 'too-expensive', outcome: 'downgraded', offer: 'downgrade-tier', at: '2026-11-02', cancelledAgainOn: '2026-11-20' });
  await decided({ reason: 'too-expensive', outcome: 'date-moved', offer: 'move-date', at: '2026-11-05' });
  await decided({ reason: 'too-expensive', outcome: 'cancelled', at: '2026-11-06' });
  await decided({ reason: 'no-longer-needed', outcome: 'cancelled', at: '2026-11-07' });
  await decided({ reason: 'family-objects', outcome: 'kept', offer: 'explain-cover', at: '2026-12-10' });
  const m = await findSaveMetrics(t.db, { from: day('2026-11-01'), to: day('2026-12-31'), now: day('2026-12-20') });

  const reason = Object.fromEntries(m.byReason.map((r) => [r.key, r]));
  // too-expensive: 2 saved (tier on 1 Nov, date on 5 Nov); 3 lost: the tier cancelled again on 20 Nov, that
  // second call's own cancellation case, and the cancellation of 6 Nov. 2 / (2 + 3) = 0.4.
  assert.deepEqual({ saved: reason['too-expensive']!.saved, lost: reason['too-expensive']!.lost, rate: reason['too-expensive']!.saveRate }, { saved: 2, lost: 3, rate: 0.4 });
  assert.equal(reason['no-longer-needed']!.saveRate, 0);
  assert.deepEqual({ pending: reason['family-objects']!.pending, rate: reason['family-objects']!.saveRate }, { pending: 1, rate: null });
  const offer = Object.fromEntries(m.byOffer.map((r) => [r.key, r]));
  assert.deepEqual({ saved: offer['downgrade-tier']!.saved, lost: offer['downgrade-tier']!.lost }, { saved: 1, lost: 1 });
  assert.equal(offer['move-date']!.saveRate, 1);
  assert.equal(m.total.decided, 7);
  assert.equal(m.savedAfterDays, 30);
});
