import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import type { OutboxRow } from '../../src/jobs/outbox-rows.js';
import { loadNoticeTemplates } from '../../src/notices/notice-templates.js';
import { noticesRoutes } from '../../src/notices/notices.routes.js';
import { createManualClock } from '../../src/shared/clock.js';
import { buildTestApp } from '../support/build-test-app.js';
import type { Harness } from '../payments/payments-harness.js';
import { NOTICE_FROM as FROM, startNoticeRig, type NoticeRig } from './notice-rig.js';

const clock = createManualClock('2026-11-28T15:00:00Z');
/** Segments per second of FROM in these tests: one notice of one segment every half second. */
const RATE = 2;
let rig: NoticeRig;
let h: Harness;
let app: FastifyInstance;
const dispatched: OutboxRow[] = [];
const tokens = { operator: '', compliance: '' };

before(async () => {
  rig = await startNoticeRig(clock);
  h = rig.h;
  ({ app } = await buildTestApp(h.t.db, {
    clock,
    dispatch: (rows) => dispatched.push(...rows),
    plugins: [noticesRoutes({
      db: h.t.db, clock, templates: loadNoticeTemplates(), dispatch: (rows) => dispatched.push(...rows),
      wording: { insurerName: 'Harbor Mutual', phone: '(800) 555-0100', graceDays: 30 },
      card: { name: 'Harbor Mutual', phone: FROM, website: 'https://harbor.example' },
      from: FROM, rateOf: (sender) => (sender === FROM ? RATE : 1), homeZone: 'America/New_York',
    })],
  }));
  tokens.operator = (await createApiToken(h.t.db, clock, { name: 'ops', role: 'operator' })).token;
  tokens.compliance = (await createApiToken(h.t.db, clock, { name: 'ana', role: 'compliance' })).token;
});
after(async () => {
  await app.close();
  await rig.close();
});

const post = (body: unknown, token: string | null = tokens.operator) => app.inject({
  method: 'POST', url: '/api/notices', payload: body as object, headers: token === null ? {} : { authorization: `Bearer ${token}` },
});
const policyNumberOf = async (policyId: string) =>
  (await h.t.db.query<{ policy_number: string }>('select policy_number from policies where id = $1', [policyId])).rows[0]!.policy_number;

test('the contact card: a public vCard 3.0 of the insurer, as Twilio fetches it (GET and HEAD)', async () => {
  const res = await app.inject({ method: 'GET', url: '/contact-card.vcf' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['content-type'], 'text/vcard; charset=utf-8');
  assert.match(String(res.headers['content-disposition']), /filename="contact\.vcf"/);
  assert.equal(res.body, 'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Harbor Mutual;;;;\r\nFN:Harbor Mutual\r\nORG:Harbor Mutual\r\nTEL;TYPE=WORK,VOICE,MSG:+18005550100\r\nURL:https://harbor.example\r\nEND:VCARD\r\n');
  const head = await app.inject({ method: 'HEAD', url: '/contact-card.vcf' });
  assert.equal(head.statusCode, 200);
  assert.equal(head.headers['content-type'], 'text/vcard; charset=utf-8');
});

test('operator only: 401 without or with a bad token, 403 for another role, each with its reason', async () => {
  const body = { notice: 'welcome', policyNumbers: ['X'] };
  const none = await post(body, null);
  assert.deepEqual([none.statusCode, none.json().error], [401, 'NTC_UNAUTHENTICATED']);
  assert.match(none.json().message, /bearer token is required/);
  assert.equal((await post(body, 'gwk_nope')).statusCode, 401);
  const other = await post(body, tokens.compliance);
  assert.deepEqual([other.statusCode, other.json().error, other.json().message], [403, 'NTC_FORBIDDEN', 'role compliance may not send notices (operator only)']);
  const status = await app.inject({ method: 'GET', url: '/api/notices/00000000-0000-7000-8000-000000000000', headers: { authorization: `Bearer ${tokens.compliance}` } });
  assert.equal(status.statusCode, 403);
});

test('a batch the API does not accept is a 400 naming what is wrong, and queues nothing', async () => {
  const cases: [unknown, RegExp][] = [
    [{ notice: 'welcome', policyNumbers: [] }, /policyNumbers: policyNumbers must list at least one policy number/],
    [{ notice: 'welcome', policyNumbers: Array.from({ length: 10_001 }, (_, i) => `P-${i}`) }, /at most 10,000 policy numbers/],
    [{ notice: 'birthday', policyNumbers: ['P-1'] }, /notice: notice must be one of due-reminder, payment-received/],
    [{ notice: 'due-reminder', policyNumbers: ['P-1', 'P-2'], dueId: '00000000-0000-7000-8000-000000000000' }, /dueId: dueId names one due/],
    [{ notice: 'welcome', policyNumbers: ['P-1'], extra: 1 }, /Unrecognized key/],
  ];
  const before = dispatched.length;
  for (const [body, reason] of cases) {
    const res = await post(body);
    assert.equal(res.statusCode, 400, JSON.stringify(body).slice(0, 80));
    assert.equal(res.json().error, 'NTC_BAD_REQUEST');
    assert.match(res.json().message, reason);
  }
  assert.equal(dispatched.length, before);
});

test('a batch: unknown, foreign and duplicate numbers and policies with nothing to say are listed; the rest spread at the sender’s rate', async () => {
  const seeded = await Promise.all(Array.from({ length: 4 }, () => h.seedDue()));
  const numbers = await Promise.all(seeded.map((s) => policyNumberOf(s.policyId)));
  const paid = await h.seedDue();
  await h.t.db.query(`update premium_dues set status = 'paid' where id = $1`, [paid.dueId]);
  const paidNumber = await policyNumberOf(paid.policyId);
  const res = await post({ notice: 'due-reminder', policyNumbers: [numbers[0], 'NOPE-404', numbers[1], 'OTHERCO-77-123', paidNumber, numbers[2], numbers[0], numbers[3]] });
  assert.equal(res.statusCode, 202);
  const out = res.json();
  assert.equal(out.queued, 4);
  assert.deepEqual(out.rejected, [
    { policyNumber: 'NOPE-404', reason: 'unknown policy number' },
    { policyNumber: 'OTHERCO-77-123', reason: 'unknown policy number' },
    { policyNumber: numbers[0], reason: 'listed more than once (one notice is queued)' },
    { policyNumber: paidNumber, reason: 'no open premium due' },
  ]);
  const { rows } = await h.t.db.query<{ run_at: Date; correlation: string; payload: { notice: string; dueId: string; batchId: string } }>(
    `select o.run_at, o.correlation, o.payload from outbox o join notice_jobs n on n.outbox_id = o.id where n.batch_id = $1 order by o.run_at`, [out.batchId]);
  // Each reminder is one segment: at 2 segments a second, one every 500 ms from now.
  assert.deepEqual(rows.map((r) => r.run_at.getTime() - clock.now().getTime()), [0, 500, 1000, 1500]);
  assert.deepEqual(rows.map((r) => r.correlation), seeded.slice(0, 4).map((s) => `due:${s.dueId}`));
  assert.ok(rows.every((r) => r.payload.notice === 'due-reminder' && r.payload.batchId === out.batchId));
  assert.equal(out.lastRunAt, new Date(clock.now().getTime() + 1500).toISOString());
  const audit = await h.t.db.query<{ payload: Record<string, unknown> }>(
    `select e.payload from evidence_events e join interactions i on i.id = e.interaction_id
      where i.kind = 'audit' and i.provider_ref = 'notice-batches' and e.provider_ref = $1`, [out.batchId]);
  assert.deepEqual(audit.rows.map((r) => [r.payload.notice, r.payload.queued, r.payload.rejected, (r.payload.actor as { name: string }).name]), [['due-reminder', 4, 4, 'ops']]);
});

test('a reminder is for a premium still to come, a pending-cancellation notice for an overdue one', async () => {
  const overdue = await h.seedDue({ dueDate: '2026-11-20' });
  const upcoming = await h.seedDue({ dueDate: '2026-12-01' });
  const [late, soon] = await Promise.all([overdue, upcoming].map((s) => policyNumberOf(s.policyId)));
  const reminder = (await post({ notice: 'due-reminder', policyNumbers: [late, soon] })).json();
  assert.deepEqual([reminder.queued, reminder.rejected], [1, [{ policyNumber: late, reason: 'the premium due 2026-11-20 is overdue: send pending-cancellation' }]]);
  const pending = (await post({ notice: 'pending-cancellation', policyNumbers: [late, soon] })).json();
  assert.deepEqual([pending.queued, pending.rejected], [1, [{ policyNumber: soon, reason: 'the premium due 2026-12-01 is not overdue yet: send due-reminder' }]]);
});

test('a batch’s status counts its notices by state as they run', async () => {
  const [a, b, c] = await Promise.all([h.seedDue(), h.seedDue(), h.seedDue()]);
  await h.t.db.query(`delete from consents where phone_e164 = $1`, [b.phone]);
  const res = await post({ notice: 'welcome', policyNumbers: await Promise.all([a, b, c].map((s) => policyNumberOf(s.policyId))) });
  const { batchId } = res.json();
  const status = async () => (await app.inject({ method: 'GET', url: `/api/notices/${batchId}`, headers: { authorization: `Bearer ${tokens.operator}` } })).json();
  assert.deepEqual(await status(), { batchId, total: 3, queued: 3, deferred: 0, sent: 0, suppressed: 0, failed: 0, cancelled: 0, skipped: 0 });
  const ids = (await h.t.db.query<{ outbox_id: string }>('select outbox_id from notice_jobs where batch_id = $1 order by outbox_id', [batchId])).rows.map((r) => r.outbox_id);
  for (const id of ids) await rig.run(id);
  assert.deepEqual(await status(), { batchId, total: 3, queued: 0, deferred: 0, sent: 2, suppressed: 1, failed: 0, cancelled: 0, skipped: 0 });
  const missing = await app.inject({ method: 'GET', url: '/api/notices/00000000-0000-7000-8000-000000000000', headers: { authorization: `Bearer ${tokens.operator}` } });
  assert.deepEqual([missing.statusCode, missing.json().error], [404, 'NTC_BATCH_NOT_FOUND']);
});

test('10,000 policy numbers in one request: queued in one go, spread over 83 minutes at 2 segments a second', async () => {
  await h.t.db.query(`insert into policyholders (id, external_ref, first_name, last_name) select gen_random_uuid(), 'BULK-' || i, 'Bulk', 'Holder' from generate_series(1, 10000) i`);
  await h.t.db.query(`insert into policyholder_phones (policyholder_id, phone_e164) select id, '+1303' || lpad(substr(external_ref, 6), 7, '0') from policyholders where external_ref like 'BULK-%'`);
  await h.t.db.query(`insert into policies (id, policy_number, policyholder_id, product, coverage_tier, sum_insured_cents, premium_cents, billing_frequency)
                      select gen_random_uuid(), 'B-' || external_ref, id, 'auto', 'standard', 1, 1, 'monthly' from policyholders where external_ref like 'BULK-%'`);
  const res = await post({ notice: 'welcome', policyNumbers: Array.from({ length: 10_000 }, (_, i) => `B-BULK-${i + 1}`) });
  assert.equal(res.statusCode, 202);
  assert.deepEqual([res.json().queued, res.json().rejected], [10_000, []]);
  const { rows } = await h.t.db.query<{ span: number; per_minute: number }>(
    `select extract(epoch from max(o.run_at) - min(o.run_at))::float8 as span,
            (select max(n)::float8 from (select count(*) as n from outbox x join notice_jobs y on y.outbox_id = x.id
                                          where y.batch_id = $1 group by date_trunc('minute', x.run_at)) m) as per_minute
       from outbox o join notice_jobs n on n.outbox_id = o.id where n.batch_id = $1`, [res.json().batchId]);
  // Each welcome is one segment: 9,999 segments before the last one, at 2 a second.
  assert.equal(rows[0]!.span, 9_999 / RATE);
  assert.ok(rows[0]!.per_minute <= 121, `at most 120 a minute (a minute boundary may hold one more), got ${rows[0]!.per_minute}`);
});

test('a second batch queues behind the notices already planned, so two batches never share the sender’s seconds', async () => {
  const [a, b] = await Promise.all([h.seedDue(), h.seedDue()]);
  const first = (await post({ notice: 'welcome', policyNumbers: [await policyNumberOf(a.policyId)] })).json();
  const second = (await post({ notice: 'welcome', policyNumbers: [await policyNumberOf(b.policyId)] })).json();
  assert.ok(Date.parse(second.firstRunAt) > Date.parse(first.lastRunAt), `${second.firstRunAt} comes after ${first.lastRunAt}`);
});
