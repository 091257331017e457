import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue, Worker } from 'bullmq';
import type { Browser, Page } from 'playwright-core';
import type { Db } from '../../src/db/pool.js';
import { appendEvidence } from '../../src/evidence/append-evidence.js';
import { newId } from '../../src/shared/ids.js';
import { ORIGIN, sequenceAll, tamper } from '../evidence/support.js';
import { launchBrowser, newPage, signInAs } from '../support/browser.js';
import { seedDue, seedPolicyholder } from '../support/seed.js';
import { createTestRedis } from '../support/test-redis.js';
import { PASSWORD, startConsoleServer } from './console-server.js';

// The operator's dashboard against a seeded scenario whose every figure is known: the charts must
// show exactly those figures (each bar carries its label and value as data-* attributes).

const HOSTILE = '<img src=x onerror=alert(1)>';
const redis = createTestRedis();
let queue: Queue;
let server: Awaited<ReturnType<typeof startConsoleServer>>;
let browser: Browser;

/** Four recoveries begun in November: two paid (after the pay link; after the first call), one closed, one running. */
const seedRecoveries = async (db: Db) => {
  const h = await seedPolicyholder(db, { firstName: 'Rita', phone: '+12025550171', policyNumber: 'OP-1' });
  const rows: [string[], 'paid' | 'closed' | null, string | null, number][] = [
    [['pay-link'], 'paid', 'sms-link', 12_450],
    [['pay-link', 'first-call'], 'paid', 'ivr', 9_000],
    [['pay-link', 'first-call', 'first-retry'], 'closed', null, 7_500],
    [['pay-link'], null, null, 5_000],
  ];
  for (const [i, [steps, outcome, channel, cents]] of rows.entries()) {
    const due = await seedDue(db, h.policyId, cents, `2026-11-0${i + 1}`);
    await db.query(
      `insert into recoveries (due_id, policy_id, started_at, failed_at, amount_cents, currency, steps_done, last_step_id, outcome, finished_at, paid_channel, paid_at)
       values ($1, $2, $3, $3, $4, 'usd', $5, $6, $7, case when $7::text is null then null else $3::timestamptz + interval '2 days' end, $8,
               case when $7::text = 'paid' then $3::timestamptz + interval '2 days' end)`,
      [due, h.policyId, new Date(`2026-11-1${i}T12:00:00Z`), cents, steps, steps.at(-1), outcome, channel],
    );
  }
};

/** Retention cases: price (2 saved with a discount, 1 cancelled), moving (1 cancelled, 1 moved date still pending). */
const seedRetention = async (db: Db) => {
  const cases: [string, string, string | null, string][] = [
    ['price', 'kept', 'discount', '2026-10-01'], ['price', 'downgraded', 'discount', '2026-10-02'], ['price', 'cancelled', null, '2026-10-03'],
    ['moving', 'cancelled', null, '2026-10-04'], ['moving', 'date-moved', 'date-move', '2026-11-20'],
  ];
  for (const [i, [reason, outcome, offer, at]] of cases.entries()) {
    await db.query(
      `insert into cancellation_requests (id, channel, source_ref, requested_at, status, reason, outcome, offer, outcome_at)
       values ($1, 'ivr', $2, $3, 'open', $4, $5, $6, $3)`,
      [newId(), `CA-op-${i}`, new Date(`${at}T15:00:00Z`), reason, outcome, offer ? { kind: offer } : null],
    );
  }
};

/** Three inbound calls ended (one handed to a specialist), one still going; texts deferred, suppressed, failed; two opt-outs. */
const seedContacts = async (db: Db, clock: Awaited<ReturnType<typeof startConsoleServer>>['clock']) => {
  for (const [i, ended] of [true, true, true, false].entries()) {
    await db.query(
      `insert into interactions (id, kind, provider_ref, direction, from_e164, started_at, ended_at) values ($1, 'call', $2, 'inbound', '+12025550172', $3, $4)`,
      [newId(), `CAop${i}`, new Date('2026-12-01T14:00:00Z'), ended ? new Date('2026-12-01T14:05:00Z') : null],
    );
  }
  await db.query(
    `insert into warm_transfers (id, caller_call_sid, flow, conference_name, caller_phone, locale, reason, context, status, requested_at)
     values ($1, 'CAop0', 'retention', 'conf-op', '+12025550172', 'en-US', 'cancel', '{}', 'bridged', $2)`,
    [newId(), new Date('2026-12-01T14:02:00Z')],
  );
  const thread = newId();
  await db.query(`insert into interactions (id, kind, provider_ref, started_at) values ($1, 'sms-thread', 'op-thread', $2)`, [thread, clock.now()]);
  const about = { channel: 'sms', to: '+12025550172', kind: 'informational', purpose: 'due-reminder' };
  await appendEvidence(db, clock, thread, [
    { type: 'contact.deferred', payload: { ...about, reason: 'quiet-hours', until: '2026-12-04T13:00:00Z' } },
    { type: 'contact.deferred', payload: { ...about, reason: 'quiet-hours', until: '2026-12-04T13:00:00Z' } },
    { type: 'contact.deferred', payload: { ...about, reason: 'daily-cap', until: '2026-12-04T05:00:00Z' } },
    { type: 'outbound.suppressed', payload: { ...about, reason: 'opted-out' } },
  ]);
  const texts: [string, number | null][] = [['undelivered', 30003], ['undelivered', 30003], ['failed', 30006], ['delivered', null]];
  for (const [i, [status, code]] of texts.entries()) {
    await db.query(
      `insert into sms_messages (provider_sid, to_e164, status, error_code, updated_at) values ($1, '+12025550172', $2, $3, $4)`,
      [`SMop${i}`, status, code, new Date('2026-12-02T10:00:00Z')],
    );
  }
  const consents: [string, boolean, string][] = [['+12025550173', false, 'sms-keyword'], ['+12025550174', false, HOSTILE], ['+12025550175', true, 'import']];
  for (const [phone, granted, source] of consents) {
    await db.query(`insert into consents (phone_e164, channel, granted, source, recorded_at) values ($1, 'sms', $2, $3, $4)`, [phone, granted, source, new Date('2026-12-02T11:00:00Z')]);
  }
};

/** The outbox queue with one job failed (its reason quoting a number), two waiting and one delayed. */
const seedQueue = async () => {
  queue = new Queue('outbox', { connection: redis.connection, prefix: redis.prefix });
  const worker = new Worker('outbox', async () => { throw new Error('carrier refused +12025550176 for good'); }, { connection: redis.connection, prefix: redis.prefix });
  const failed = new Promise<void>((resolve) => worker.once('failed', () => resolve()));
  await queue.add('sms.send', { outboxId: newId() }, { attempts: 1 });
  await failed;
  await worker.close();
  await queue.add('payment.charge', { outboxId: newId() });
  await queue.add('payment.charge', { outboxId: newId() });
  await queue.add('recovery.step', { outboxId: newId() }, { delay: 3_600_000 });
};

before(async () => {
  await seedQueue();
  [server, browser] = await Promise.all([startConsoleServer({ outboxQueue: queue }), launchBrowser()]);
  const { db } = server.t;
  await seedRecoveries(db);
  await seedRetention(db);
  await seedContacts(db, server.clock);
  await sequenceAll(db, server.clock);
  server.clock.advance(60_000); // the dashboard looks a minute later: what happened at the seeding instant is in its window
});
after(async () => {
  await browser?.close();
  await server?.close();
  await queue?.close();
  await redis.cleanup();
});

/** Each bar of a chart as [label, value]. */
const bars = (page: Page, testid: string) =>
  page.$$eval(`[data-testid="${testid}"] g.bar`, (gs) => gs.map((g) => [g.getAttribute('data-label'), Number(g.getAttribute('data-value'))]));
const text = async (page: Page, testid: string) => (await page.getByTestId(testid).innerText()).trim();

const openDashboard = async (viewport: 'desktop' | 'phone') => {
  const p = await newPage(browser, viewport);
  await signInAs(p.page, server.baseUrl, 'operator', PASSWORD);
  assert.match(p.page.url(), /\/console\/operator$/);
  // Every card (eight) has loaded.
  await p.page.locator('[data-testid="operator-root"] .card[aria-busy="false"]').nth(7).waitFor();
  return p;
};

test("the dashboard's charts show the seeded scenario's figures exactly", async () => {
  const { context, page, errors } = await openDashboard('desktop');

  assert.deepEqual(await bars(page, 'recovery-outcomes'), [['Recovered', 2], ['Closed unpaid', 1], ['Running', 1]]);
  assert.equal(await text(page, 'recovery-rate'), '66.7%');
  assert.equal(await text(page, 'recovery-amount'), '$214.50');
  const funnel = await page.$$eval('[data-testid="recovery-funnel"] g.bar', (gs) => gs.map((g) => [g.getAttribute('data-step'), Number(g.getAttribute('data-value')), Number(g.getAttribute('data-paid-after'))]));
  assert.deepEqual(funnel.slice(0, 4), [['pay-link', 4, 1], ['first-call', 2, 1], ['first-retry', 1, 0], ['reminder', 0, 0]]);
  assert.deepEqual(await bars(page, 'recovery-channels'), [['ivr', 1], ['sms-link', 1]]);

  assert.deepEqual(await bars(page, 'save-by-reason'), [['moving', 0], ['price', 0.6667]]);
  assert.deepEqual(await bars(page, 'save-by-offer'), [['date-move', 0], ['discount', 1], ['none', 0]]);
  assert.match(await page.locator('[data-testid="save-by-reason"] g.bar[data-label="price"]').innerHTML(), /66\.7% \(2 of 3\)/);
  assert.match(await page.locator('[data-testid="save-by-offer"] g.bar[data-label="date-move"]').innerHTML(), /1 pending/);
  assert.equal(await text(page, 'retention-rate'), '50%');

  assert.deepEqual(await bars(page, 'containment-chart'), [['Self-service', 2], ['Transferred to a specialist', 1]]);
  assert.equal(await text(page, 'containment-rate'), '66.7%');
  assert.deepEqual(await bars(page, 'deferrals-chart'), [['Quiet hours', 2], ['Daily cap', 1]]);
  assert.deepEqual(await bars(page, 'suppressions-chart'), [['opted-out', 1]]);
  assert.deepEqual(await bars(page, 'delivery-failures-chart'), [['30003 handset-unreachable', 2], ['30006 landline', 1]]);
  // A source stored with markup in it is drawn as text, not run.
  assert.deepEqual((await bars(page, 'opt-outs-chart')).sort(), [[`Texts: ${HOSTILE}`, 1], ['Texts: sms-keyword', 1]]);
  assert.equal(await page.locator('[data-testid="opt-outs-chart"] img').count(), 0);
  assert.equal(await text(page, 'opt-out-total'), '2');

  assert.deepEqual(errors, []);
  await context.close();
});

test('the queue view shows depth by state and the latest failed job without its payload or the number in its reason', async () => {
  const { context, page, errors } = await openDashboard('desktop');
  const counts = Object.fromEntries(await bars(page, 'queue-chart'));
  assert.deepEqual({ waiting: counts.waiting, delayed: counts.delayed, failed: counts.failed, active: counts.active }, { waiting: 2, delayed: 1, failed: 1, active: 0 });
  const failed = await text(page, 'failed-jobs');
  assert.match(failed, /sms\.send/);
  assert.match(failed, /carrier refused \[number\] for good/);
  assert.doesNotMatch(failed, /12025550176|outboxId/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('Bull Board, read-only, shows the outbox queue to the operator, loading nothing from elsewhere', async () => {
  const { context, page, errors } = await openDashboard('desktop');
  const elsewhere: string[] = [];
  page.on('request', (r) => { if (!r.url().startsWith(server.baseUrl)) elsewhere.push(r.url()); });
  await Promise.all([page.waitForURL(/\/console\/operator\/queues\/$/), page.getByTestId('queue-board-link').click()]);
  // The board lists the outbox queue (its React app fetched the list from its API through the session).
  await page.getByText('outbox', { exact: true }).first().waitFor();
  assert.deepEqual(elsewhere, []);
  const board = await page.request.get(`${server.baseUrl}/console/operator/queues/api/queues`);
  assert.equal(board.status(), 200);
  const q = (await board.json() as { queues: { name: string; counts: Record<string, number>; readOnlyMode: boolean }[] }).queues[0]!;
  assert.deepEqual([q.name, q.counts.waiting, q.counts.delayed, q.counts.failed, q.readOnlyMode], ['outbox', 2, 1, 1, true]);
  const res = await page.request.get(`${server.baseUrl}/console/operator/queues/`);
  assert.doesNotMatch(await res.text(), /fonts\.googleapis|style=/);
  assert.match(res.headers()['content-security-policy']!, /default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'/);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the evidence card shows the latest checkpoint, its signature verified in the browser against the published key", async () => {
  const { context, page, errors } = await openDashboard('desktop');
  const cp = (await server.t.db.query<{ size: number }>('select tree_size::int as size from evidence_checkpoints order by tree_size desc limit 1')).rows[0]!;
  assert.ok(cp.size > 0);
  assert.equal(await text(page, 'checkpoint-size'), String(cp.size));
  assert.equal(await text(page, 'checkpoint-signer'), ORIGIN);
  assert.equal(await page.getByTestId('checkpoint-signature').getAttribute('data-ok'), 'true');
  assert.equal(await page.getByTestId('checkpoint-tree').getAttribute('data-ok'), 'true');
  // The sign-in itself is evidence not yet sequenced: it waits for the next round.
  assert.match(await text(page, 'evidence-waiting'), /^[1-9]/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('at a phone\'s width the dashboard has no horizontal overflow', async () => {
  const { context, page, errors } = await openDashboard('phone');
  const overflow = { doc: await page.$eval('html', (h) => h.scrollWidth), view: 390, main: await page.$eval('main', (m) => m.scrollWidth) };
  assert.ok(overflow.doc <= overflow.view, `page ${overflow.doc}px wide in a ${overflow.view}px viewport`);
  assert.ok(overflow.main <= overflow.view, `main ${overflow.main}px wide`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the operator page, its figures, the queue view and Bull Board refuse a specialist (403) and an anonymous request', async () => {
  const board = ['/console/operator/queues/', '/console/operator/queues/api/queues', '/console/operator/queues/static/favicon.ico'];
  for (const path of ['/console/operator', '/console/operator/queue', '/console/operator/figures', '/console/operator/evidence', ...board]) {
    const anon = await fetch(`${server.baseUrl}${path}`, { redirect: 'manual', headers: { accept: 'application/json' } });
    assert.equal(anon.status, 401, `${path} anonymous`);
    const page = await fetch(`${server.baseUrl}${path}`, { redirect: 'manual', headers: { accept: 'text/html' } });
    assert.equal(page.status, 303, `${path} anonymous page`);
    assert.equal(page.headers.get('location'), '/console/sign-in');
  }
  const { context, page } = await newPage(browser);
  await signInAs(page, server.baseUrl, 'specialist', PASSWORD);
  const res = await page.goto(`${server.baseUrl}/console/operator`);
  assert.equal(res!.status(), 403);
  assert.equal(await page.getByTestId('refused').isVisible(), true);
  for (const path of ['/console/operator/queue', '/console/operator/figures', '/console/operator/evidence', ...board]) {
    const api = await page.request.get(`${server.baseUrl}${path}`, { headers: { accept: 'application/json' } });
    assert.equal(api.status(), 403, path);
    assert.doesNotMatch(await api.text(), /sms\.send|carrier refused/);
  }
  await context.close();
});

// Last: it alters the stored log.
test('a checkpoint note or tree altered after signing shows as failing, not as verified', async () => {
  const latest = 'tree_size = (select max(tree_size) from evidence_checkpoints)';
  await tamper(server.t.db, `update evidence_checkpoints set note = regexp_replace(note, '^([^\n]*\n)[0-9]+', '\\1999') where ${latest}`);
  // The largest complete subtree on the left: the first node the root folds.
  await tamper(server.t.db, 'update evidence_tree_nodes set hash = sha256(hash) where idx = 0 and level = (select max(level) from evidence_tree_nodes where idx = 0)');
  const { context, page } = await openDashboard('desktop');
  assert.equal(await page.getByTestId('checkpoint-signature').getAttribute('data-ok'), 'false');
  assert.match(await page.getByTestId('checkpoint-signature').locator('..').innerText(), /does not verify: the checkpoint was altered/);
  assert.equal(await page.getByTestId('checkpoint-tree').getAttribute('data-ok'), 'false');
  await context.close();
});
