import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import type { OutboxRow } from '../../src/jobs/outbox-rows.js';
import { createManualClock } from '../../src/shared/clock.js';
import { buildTestApp } from '../support/build-test-app.js';
import { seedDue, seedPolicyholder } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

const clock = createManualClock('2026-12-04T12:00:00Z');
let t: TestDb;
let app: FastifyInstance;
let dueId: string;
let otherDueId: string;
const dispatched: OutboxRow[] = [];
const tokens = { operator: '', compliance: '' };

before(async () => {
  t = await createTestDb();
  ({ app } = await buildTestApp(t.db, { clock, dispatch: (rows) => dispatched.push(...rows) }));
  const holder = await seedPolicyholder(t.db, { firstName: 'Ana', phone: '+13125550143', policyNumber: 'API-1' });
  dueId = await seedDue(t.db, holder.policyId, 4_250, '2026-12-01');
  const other = await seedPolicyholder(t.db, { firstName: 'Bo', phone: '+13125550144', policyNumber: 'API-2' });
  otherDueId = await seedDue(t.db, other.policyId, 5_000, '2026-12-02');
  tokens.operator = (await createApiToken(t.db, clock, { name: 'ops', role: 'operator' })).token;
  tokens.compliance = (await createApiToken(t.db, clock, { name: 'ana', role: 'compliance' })).token;
});
after(async () => {
  await app.close();
  await t.drop();
});

const post = (payload: string | object, o: { token?: string | null; type?: string } = {}) => {
  const token = o.token === undefined ? tokens.operator : o.token;
  return app.inject({
    method: 'POST', url: '/api/failed-debits', payload,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(o.type ? { 'content-type': o.type } : {}) },
  });
};
const attemptCount = async () => Number((await t.db.query('select count(*) from payment_attempts')).rows[0].count);
const row = { debit_ref: 'API-D-1', policy_number: 'API-1', due_date: '2026-12-01', amount: 42.5, failed_at: '2026-12-01T08:00:00Z', method: 'card', decline_code: 'lost_card' };

test('operator only: 401 without or with a bad token, 403 for another role, each with its reason, nothing recorded', async () => {
  const none = await post({ rows: [row] }, { token: null });
  assert.equal(none.statusCode, 401);
  assert.match(none.json().message, /bearer token is required/);
  assert.equal((await post({ rows: [row] }, { token: 'gwk_nope' })).statusCode, 401);
  const other = await post({ rows: [row] }, { token: tokens.compliance });
  assert.equal(other.statusCode, 403);
  assert.match(other.json().message, /role compliance may not import failed debits \(operator only\)/);
  assert.equal(await attemptCount(), 0);
});

test('a body that is not usable at all is a 400 with the reason and records nothing', async () => {
  for (const [payload, type, reason] of [
    [{ rows: [] }, undefined, /rows must list at least one failed debit/],
    [{ debits: [row] }, undefined, /body/],
    [{ rows: [{ ...row, card_number: '4242' }] }, undefined, /unknown field\(s\) card_number/],
    ['ref,policy\nX,Y\n', 'text/csv', /not the documented failed-debit CSV header/],
    ['debit_ref,policy_number,due_date,amount,failed_at,method\n"A-1,API-1,2026-12-01,1,2026-12-01T08:00:00Z,card\n', 'text/csv', /not valid CSV/],
  ] as const) {
    const res = await post(payload, { type });
    assert.equal(res.statusCode, 400, JSON.stringify(payload));
    assert.match(res.json().message, reason);
  }
  assert.equal(await attemptCount(), 0);
});

test('JSON rows: each answered accepted or rejected with its reason; the accepted one starts its recovery, dispatched after commit', async () => {
  const res = await post({ rows: [row, { ...row, debit_ref: 'API-D-2', due_date: '2026-11-01' }] });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.deepEqual(body.rows, [
    { row: 1, debitRef: 'API-D-1', status: 'accepted', declineClass: 'never-retry', recoveryStarted: true },
    { row: 2, debitRef: 'API-D-2', status: 'rejected', reasons: ['due_date: policy API-1 has no premium due on 2026-11-01'] },
  ]);
  assert.deepEqual(dispatched.map((r) => [r.topic, r.payload.dueId, r.payload.declineClass]), [['recovery.start', dueId, 'never-retry']]);
  const { rows } = await t.db.query(`select id from outbox where topic = 'recovery.start' and payload->>'dueId' = $1`, [dueId]);
  assert.deepEqual(rows.map((r) => r.id), [dispatched[0]!.id], 'the dispatched job is the committed outbox row');
});

test('CSV: the same failure again is a duplicate that records nothing; a new one for another due is accepted', async () => {
  const before = await attemptCount();
  const csv = [
    'debit_ref,policy_number,due_date,amount,failed_at,method,return_code,reason',
    'API-D-1,API-1,2026-12-01,42.50,2026-12-01T08:00:00Z,card,,lost',
    'API-D-3,API-2,2026-12-02,50.00,2026-12-02T08:00:00Z,bank,R01,',
    'API-D-4,API-2,2026-12-02,50.00,2026-12-02T08:00:00Z,bank',
  ].join('\n');
  const res = await post(csv, { type: 'text/csv' });
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.deepEqual({ ...body, rows: undefined }, { read: 3, accepted: 1, duplicate: 1, rejected: 1, recoveriesStarted: 1, rows: undefined });
  assert.deepEqual(body.rows.map((r: { line: number; status: string }) => [r.line, r.status]), [[2, 'duplicate'], [3, 'accepted'], [4, 'rejected']]);
  assert.match(body.rows[2].reasons[0], /row has 6 fields, the header has 8/);
  assert.equal(await attemptCount(), before + 1);
  assert.equal(dispatched.filter((r) => r.payload.dueId === otherDueId).length, 1);
  assert.equal(dispatched.filter((r) => r.payload.dueId === dueId).length, 1, 'no second recovery for the duplicate');
});

test('a card number in a CSV cell is masked before it is read or stored; its neighbours are not', async () => {
  const csv = 'debit_ref,policy_number,due_date,amount,failed_at,method,reason\n' +
    'API-D-9,API-2,2026-12-02,50.00,2026-12-02T09:00:00Z,card,customer read out 4242 4242 4242 4242\n';
  const res = await post(csv, { type: 'text/csv' });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().rows[0].status, 'accepted');
  const { rows } = await t.db.query(`select payload->>'insurerReason' as reason from evidence_events where payload->>'debitRef' = 'API-D-9'`);
  assert.deepEqual(rows, [{ reason: 'customer read out [pan:4242]' }]);
});
