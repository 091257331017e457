import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createOutboxDispatcher } from '../../src/jobs/dispatch-outbox.js';
import { verifyChains } from '../../src/evidence/verify-chains.js';
import { createOutboxQueue } from '../../src/jobs/outbox-queue.js';
import { startOutboxWorker } from '../../src/jobs/outbox-worker.js';
import { chargeDue } from '../../src/payments/charge-due.js';
import { createPayLink } from '../../src/payments/create-pay-link.js';
import { systemClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { toOutboxHandlers } from '../../src/jobs/job-registry.js';
import { paymentJobs } from '../../src/runtime/outbox-handlers.js';
import { createTestRedis } from '../support/test-redis.js';
import { dueState, evidenceTypes, startHarness, type Harness } from './payments-harness.js';

let h: Harness;
const paymentHandlers = () => toOutboxHandlers(paymentJobs(h.payments));
const redis = createTestRedis();
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h.close();
  await redis.cleanup();
});

const waitFor = async (what: string, check: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

test('failed debit → recovery job marks the due failed; a texted pay link, paid, settles the due and stops everything waiting on it', async () => {
  const silentLog = { warn: () => undefined, error: () => undefined };
  const queue = createOutboxQueue(redis.connection, redis.prefix);
  const dispatcher = createOutboxDispatcher({ db: h.t.db, queue, clock: systemClock, log: silentLog });
  const worker = startOutboxWorker({ db: h.t.db, clock: systemClock, handlers: paymentHandlers(), log: silentLog }, redis.connection, redis.prefix);
  try {
    const { dueId, phone } = await h.seedDue({ card: 'pm_card_chargeDeclinedInsufficientFunds' });

    // 1. The off-session debit fails; recovery.start runs on the real queue.
    const charge = await chargeDue({ dueId, channel: 'retry' }, h.payments.deps);
    assert.equal(charge.outcome, 'failed');
    const recovery = h.dispatched.filter((r) => r.topic === 'recovery.start' && r.payload.dueId === dueId);
    assert.equal(recovery.length, 1);
    await dispatcher.send(recovery);
    await waitFor('due failed', async () => (await dueState(h.t, dueId)).status === 'failed');
    assert.ok((await evidenceTypes(h.t, dueId)).includes('recovery.requested'));

    // A later step of the recovery schedule is waiting on this due.
    const reminderId = newId();
    await h.t.db.query(
      `insert into outbox (id, topic, payload, run_at, created_at, correlation) values ($1, 'sms.send', '{"to":"x","body":"reminder"}', now() + interval '2 days', now(), $2)`,
      [reminderId, `due:${dueId}`],
    );

    // 2. A pay link is made and texted.
    const link = await createPayLink({ dueId }, h.payments.deps);
    const sms = (await h.t.db.query(`select payload, correlation from outbox where id = $1`, [link.smsOutboxId])).rows[0];
    assert.equal(sms.payload.to, phone);
    assert.ok(sms.payload.body.includes(link.url), sms.payload.body);
    assert.match(sms.payload.body, /\$124\.50/);
    // The text goes out (the worker would mark it so).
    await h.t.db.query('update outbox set completed_at = now() where id = $1', [link.smsOutboxId]);
    const again = await createPayLink({ dueId, text: false }, h.payments.deps);
    assert.deepEqual([again.url, again.reused], [link.url, true], 'one live link per due');

    // 3. The policyholder opens the page and pays; Stripe's webhooks reach the gateway.
    const page = await fetch(link.url);
    assert.match(await page.text(), /124\.50 USD/);
    const paid = await fetch(`${link.url}/pay`, { method: 'POST', redirect: 'manual' });
    assert.equal(paid.status, 303);
    assert.match(paid.headers.get('location') ?? '', /\/pay\/done$/);
    await h.fake.idle();

    const s = await dueState(h.t, dueId);
    assert.equal(s.status, 'paid');
    assert.equal(s.paid_to_date, '2027-01-01');
    assert.deepEqual(s.attempts.map((a: { status: string }) => a.status), ['failed', 'succeeded']);
    const pl = (await h.t.db.query('select status, paid_at from pay_links where id = $1', [link.payLinkId])).rows[0];
    assert.equal(pl.status, 'paid');
    const waiting = await h.t.db.query(
      `select id from outbox where correlation = $1 and completed_at is null and cancelled_at is null`, [`due:${dueId}`]);
    assert.deepEqual(waiting.rows, [], 'nothing left waiting on the paid due');
    assert.ok((await h.t.db.query('select cancelled_at from outbox where id = $1', [reminderId])).rows[0].cancelled_at);
    const types = await evidenceTypes(h.t, dueId);
    for (const t of ['payment.failed', 'recovery.requested', 'pay-link.created', 'stripe.event', 'payment.succeeded', 'due.paid']) {
      assert.ok(types.includes(t), `${t} in ${types.join(',')}`);
    }
    const chains = await verifyChains(h.t.db);
    assert.deepEqual(chains.broken, [], 'every evidence chain recomputes from the stored rows');
    assert.ok(chains.events > 10);
    const landing = await h.app.inject({ method: 'GET', url: '/pay/done' });
    assert.match(landing.body, /payment was received/);
  } finally {
    await worker.close();
    await queue.close();
  }
});

test('a pay link for a paid due is refused; a second payment for a paid due is refunded automatically', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
  const link = await createPayLink({ dueId, text: false }, h.payments.deps);
  assert.equal((await chargeDue({ dueId, channel: 'ivr' }, h.payments.deps)).outcome, 'succeeded');
  await assert.rejects(createPayLink({ dueId }, h.payments.deps), /already paid/);
  // The customer had the page open and pays anyway.
  const session = link.url.split('/').pop()!;
  h.fake.completeCheckout(session);
  await h.fake.idle();
  const dup = (await h.t.db.query(`select id, duplicate_of from payment_attempts where due_id = $1 and channel = 'sms-link'`, [dueId])).rows[0];
  assert.ok(dup?.duplicate_of, 'flagged as a duplicate of the first payment');
  const refundJob = h.dispatched.find((r) => r.topic === 'payments.refund-duplicate' && r.payload.attemptId === dup.id);
  assert.ok(refundJob);
  await paymentHandlers()['payments.refund-duplicate']!({ id: refundJob.id, topic: refundJob.topic, payload: refundJob.payload, interactionId: null, attempt: 1, markStarted: async () => null });
  const re = (await h.t.db.query('select kind, amount_cents, status from refunds where attempt_id = $1', [dup.id])).rows;
  assert.deepEqual(re, [{ kind: 'duplicate', amount_cents: 12450, status: 'succeeded' }]);
  assert.equal((await dueState(h.t, dueId)).status, 'paid', 'the first payment still pays the due');
});
