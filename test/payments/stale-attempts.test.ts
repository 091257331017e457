import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chargeDue } from '../../src/payments/charge-due.js';
import { startPaymentsReconciliation } from '../../src/payments/reconcile-schedule.js';
import { PaymentTopics } from '../../src/payments/payment-topics.js';
import { AppError } from '../../src/shared/app-error.js';
import { toOutboxHandlers } from '../../src/jobs/job-registry.js';
import { paymentJobs } from '../../src/runtime/outbox-handlers.js';
import { createTestRedis } from '../support/test-redis.js';
import { dueState, evidenceTypes, startHarness, type Harness } from './payments-harness.js';

let h: Harness;
const paymentHandlers = () => toOutboxHandlers(paymentJobs(h.payments));
const redis = createTestRedis();
// why: webhooks are left undelivered, as when the gateway was down when Stripe sent them: the
// attempt must be resolved by asking Stripe, not by waiting for an event that may never come.
before(async () => {
  h = await startHarness({ autoDeliver: false });
});
after(async () => {
  await h.close();
  await redis.cleanup();
});

const reconcileNow = () =>
  paymentHandlers()[PaymentTopics.RECONCILE]!({ id: 'manual', topic: PaymentTopics.RECONCILE, payload: { sinceHours: 48 }, interactionId: null, attempt: 1, markStarted: async () => null });

/** A charge whose answer never came back: chargeDue reports Stripe unreachable and leaves the attempt pending. */
const chargeLosingTheAnswer = async (dueId: string, when: 'before' | 'after') => {
  h.fake.failNext({ kind: 'network', when, times: 2 });
  await assert.rejects(chargeDue({ dueId, channel: 'ivr' }, h.payments.deps), (e) => e instanceof AppError && e.code === 'PAY_PROVIDER_UNAVAILABLE');
};

/** As if the process holding the attempt died: its lease ran out long ago (and, optionally, the attempt is old). */
const abandon = async (dueId: string, ageMs = 5 * 60_000) => {
  await h.t.db.query(`update payment_attempts set claimed_until = now() - interval '1 minute', created_at = now() - $2 * interval '1 millisecond'
                       where due_id = $1 and status = 'pending'`, [dueId, ageMs]);
};

const chargesFor = (dueId: string) => h.fake.charges().filter((c) => (c.metadata as Record<string, string>).due_id === dueId);

test('an attempt Stripe charged but whose answer was lost is found at Stripe by its attempt id and settled: due paid, one charge', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
  await chargeLosingTheAnswer(dueId, 'after');
  await abandon(dueId);
  assert.equal((await dueState(h.t, dueId)).status, 'open');
  await reconcileNow();
  const s = await dueState(h.t, dueId);
  assert.equal(s.status, 'paid');
  assert.deepEqual(s.attempts.map((a: { status: string }) => a.status), ['succeeded']);
  assert.equal(chargesFor(dueId).length, 1);
  assert.ok(h.fake.requests.some((r) => r.path === '/v1/payment_intents/search'), 'looked up by search');
  assert.ok((await evidenceTypes(h.t, dueId)).includes('payment.resolved'));
});

test('an attempt Stripe never received is retried with its own idempotency key: charged once, the due paid', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
  await chargeLosingTheAnswer(dueId, 'before');
  assert.equal(chargesFor(dueId).length, 0);
  await abandon(dueId);
  await reconcileNow();
  const s = await dueState(h.t, dueId);
  assert.equal(s.status, 'paid');
  assert.equal(chargesFor(dueId).length, 1);
  const keys = h.fake.requests.filter((r) => r.path === '/v1/payment_intents' && r.method === 'POST' && r.idempotencyKey?.includes(dueId));
  assert.deepEqual(new Set(keys.map((r) => r.idempotencyKey)), new Set([s.attempts[0].idempotency_key]));
  await reconcileNow();
  assert.equal(chargesFor(dueId).length, 1, 'a second run changes nothing');
});

test('a declined charge whose answer was lost is recorded as the decline Stripe has', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_chargeDeclinedInsufficientFunds' });
  await chargeLosingTheAnswer(dueId, 'after');
  await abandon(dueId);
  await reconcileNow();
  const s = await dueState(h.t, dueId);
  assert.equal(s.status, 'open');
  assert.deepEqual([s.attempts[0].status, s.attempts[0].decline_code], ['failed', 'insufficient_funds']);
  assert.equal(chargesFor(dueId).length, 1);
});

test('search lags (as Stripe\'s does) and misses a charge Stripe made: the replay of its key answers it, nothing is charged twice', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
  await chargeLosingTheAnswer(dueId, 'after');
  await abandon(dueId);
  const key = (await dueState(h.t, dueId)).attempts[0].idempotency_key;
  const replays = () => h.fake.requests.filter((r) => r.idempotencyKey === key && r.replayed).length;
  const replayedBefore = replays();
  h.fake.setSearchLag(60_000);
  try {
    await reconcileNow();
  } finally {
    h.fake.setSearchLag(0);
  }
  const s = await dueState(h.t, dueId);
  assert.equal(s.status, 'paid');
  assert.equal(chargesFor(dueId).length, 1);
  assert.equal(replays(), replayedBefore + 1, 'answered from Stripe\'s record of the key');
});

test('an attempt Stripe never received, older than Stripe keeps idempotency keys, is failed without charging, with the reason', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
  await chargeLosingTheAnswer(dueId, 'before');
  await abandon(dueId, 25 * 3_600_000);
  await reconcileNow();
  const s = await dueState(h.t, dueId);
  assert.equal(s.status, 'open');
  assert.equal(s.attempts[0].status, 'failed');
  assert.match(s.attempts[0].failure_reason, /never reached Stripe|no money moved/i);
  assert.equal(chargesFor(dueId).length, 0);
});

test('the scheduled reconciliation (a BullMQ job scheduler, nothing queued by hand) settles an abandoned attempt', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
  await chargeLosingTheAnswer(dueId, 'after');
  await abandon(dueId);
  const scheduled = await startPaymentsReconciliation({
    connection: redis.connection, prefix: redis.prefix, everyMs: 200, payments: h.payments, log: { info: () => undefined, warn: () => undefined, error: () => undefined },
  });
  try {
    const deadline = Date.now() + 15_000;
    while ((await dueState(h.t, dueId)).status !== 'paid' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  } finally {
    await scheduled.stop();
  }
  assert.equal((await dueState(h.t, dueId)).status, 'paid');
  assert.equal(chargesFor(dueId).length, 1);
});

const CHILD = fileURLToPath(new URL('./fixtures/charge-in-child.ts', import.meta.url));

for (const when of ['after', 'before'] as const) {
  test(`a worker SIGKILLed while Stripe holds its charge request (${when === 'after' ? 'Stripe charged' : 'Stripe never processed it'}): after the lease, the due is paid exactly once`, async () => {
    const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
    const held = h.fake.holdNext({ when });
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, h.t.url, String(h.fake.endpoint.port), h.fake.secretKey, dueId], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    await held.arrived;
    child.kill('SIGKILL');
    const [code, signal] = await exited;
    assert.deepEqual([code, signal], [null, 'SIGKILL']);
    // Never released: the fake sees its client gone and drops the request (before) or its answer (after).
    assert.equal(chargesFor(dueId).length, when === 'after' ? 1 : 0);
    const pending = await dueState(h.t, dueId);
    assert.deepEqual([pending.status, pending.attempts.map((a: { status: string }) => a.status)], ['open', ['pending']]);
    // The restarted worker: its lease must run out first (a live worker may still be waiting on Stripe).
    await reconcileNow();
    assert.equal((await dueState(h.t, dueId)).status, 'open', 'not touched while the lease runs');
    await h.t.db.query(`update payment_attempts set claimed_until = now() - interval '1 second' where due_id = $1`, [dueId]);
    await reconcileNow();
    const s = await dueState(h.t, dueId);
    assert.deepEqual([s.status, s.attempts.map((a: { status: string }) => a.status)], ['paid', ['succeeded']]);
    assert.equal(chargesFor(dueId).filter((c) => c.status === 'succeeded').length, 1);
  });
}
