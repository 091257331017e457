import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import { createManualClock } from '../../src/shared/clock.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedDue, seedPolicyholder, seedSmsConsent } from '../support/seed.js';
import { waitFor } from '../support/wait-for.js';

/**
 * A failure reported by the insurer's own billing (no card of ours on file) starts the due's
 * recovery through the whole gateway: the API records it, the outbox job starts the flow, the
 * first step texts a pay link through the contact engine to the simulated carrier. Reporting it
 * again changes nothing. Thursday 3 December 2026, 10:00 in New York.
 */
const clock = createManualClock('2026-12-03T15:00:00Z');
let h: GatewayHarness;
let token: string;
before(async () => {
  h = await startGatewayHarness({ clock });
  token = (await createApiToken(h.t.db, clock, { name: 'billing', role: 'operator' })).token;
});
after(async () => h.close());

const report = (rows: object[]) =>
  h.app.inject({ method: 'POST', url: '/api/failed-debits', payload: { rows }, headers: { authorization: `Bearer ${token}` } });

test('an imported failed debit starts the due recovery once: the pay link is texted; the same report again starts nothing', async () => {
  const phone = '+12025558801';
  const p = await seedPolicyholder(h.t.db, { firstName: 'Eli', phone, policyNumber: 'HM-E-710001' });
  await h.t.db.query(`update policyholders set time_zone = 'America/New_York' where id = $1`, [p.policyholderId]);
  const dueId = await seedDue(h.t.db, p.policyId, 12_450, '2026-12-03');
  await seedSmsConsent(h.t.db, phone);
  const row = {
    debit_ref: 'ACH-2026-12-03-0001', policy_number: 'HM-E-710001', due_date: '2026-12-03', amount: '124.50',
    failed_at: '2026-12-03T11:00:00Z', method: 'bank', return_code: 'R01', reason: 'NSF',
  };
  const text = h.carrier.messages.next({ to: phone }, 15_000);
  const res = await report([row]);
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().rows, [{ row: 1, debitRef: row.debit_ref, status: 'accepted', declineClass: 'retry-later', recoveryStarted: true }]);
  assert.match((await text).body, /your payment of \$124\.50 for policy HM-E-710001 did not go through\. Pay securely at http/);
  await waitFor(async () => ((await h.t.db.query(`select 1 from flow_sessions where session_key = $1 and snapshot->>'value' = 'waiting'`, [`due:${dueId}`])).rows[0]));

  const again = await report([row]);
  assert.deepEqual(again.json().rows, [{ row: 1, debitRef: row.debit_ref, status: 'duplicate' }]);
  const starts = await h.t.db.query(`select 1 from outbox where topic = 'recovery.start' and payload->>'dueId' = $1`, [dueId]);
  assert.equal(starts.rows.length, 1, 'one recovery for the due');
  const started = await h.t.db.query(
    `select 1 from evidence_events e join interactions i on i.id = e.interaction_id
      where i.kind = 'recovery' and i.provider_ref = $1 and (e.type = 'recovery.started' or e.payload::text like '%recovery.started%')`, [dueId]);
  assert.equal(started.rows.length, 1, 'the recovery began once');
});
