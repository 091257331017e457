import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Stripe from 'stripe';
import { chargeDue } from '../../src/payments/charge-due.js';
import { dueState, startHarness, type Harness } from './payments-harness.js';

let h: Harness;
before(async () => {
  h = await startHarness({ autoDeliver: false });
});
after(async () => h.close());

const counts = async () =>
  (await h.t.db.query(`select (select count(*) from stripe_events)::int as events, (select count(*) from evidence_events)::int as evidence,
                              (select count(*) from payment_attempts)::int as attempts, (select count(*) from outbox)::int as outbox`)).rows[0];

const post = (payload: string, signature?: string) =>
  h.app.inject({
    method: 'POST', url: '/stripe/webhook', payload,
    headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
  });

test('a bad, missing, stale or foreign signature gets 400 PAY_SIGNATURE_INVALID and nothing is written', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
  const event = { id: 'evt_forged', object: 'event', type: 'payment_intent.succeeded', created: Math.floor(Date.now() / 1000),
    data: { object: { id: 'pi_forged', object: 'payment_intent', amount: 12450, amount_received: 12450, currency: 'usd', metadata: { due_id: dueId } } } };
  const payload = JSON.stringify(event);
  const before = await counts();
  const good = h.fake.signedRequest(event as never);
  const cases = [
    undefined,
    'garbage',
    Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_someone_else' }),
    Stripe.webhooks.generateTestHeaderString({ payload, secret: h.fake.webhookSecret, timestamp: Math.floor(Date.now() / 1000) - 301 }),
    // A valid signature over different bytes: the body was altered in transit.
    good.header,
  ];
  for (const sig of cases) {
    const res = await post(sig === good.header ? payload.replace('12450', '1') : payload, sig);
    assert.equal(res.statusCode, 400, String(sig));
    assert.equal(res.json().error, 'PAY_SIGNATURE_INVALID');
  }
  assert.deepEqual(await counts(), before);
  assert.equal((await dueState(h.t, dueId)).status, 'open');
});

test('events replayed twice and delivered in reverse order leave the state correct', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_chargeDeclinedInsufficientFunds' });
  const from = h.fake.events.length;
  assert.equal((await chargeDue({ dueId, channel: 'retry' }, h.payments.deps)).outcome, 'failed');
  await h.t.db.query(`update payment_methods set is_default = false`);
  const r = await chargeDue({ dueId, channel: 'ivr', paymentMethodId: 'pm_card_visa' }, h.payments.deps);
  assert.equal(r.outcome, 'succeeded');
  const mine = h.fake.events.slice(from).filter((e) => JSON.stringify(e.data.object).includes(dueId));
  assert.ok(mine.some((e) => e.type === 'payment_intent.payment_failed') && mine.some((e) => e.type === 'payment_intent.succeeded'));
  const stateBefore = await dueState(h.t, dueId);

  // The failure arrives after the success, and everything twice.
  for (const e of [...mine].reverse()) assert.equal(await h.fake.deliver(e), 200);
  for (const e of mine) assert.equal(await h.fake.deliver(e), 200);

  const s = await dueState(h.t, dueId);
  assert.deepEqual(s, stateBefore, 'webhooks agree with what the API already recorded');
  assert.equal(s.status, 'paid');
  assert.deepEqual(s.attempts.map((a: { status: string }) => a.status), ['failed', 'succeeded']);
  const ev = await h.t.db.query('select id, deliveries, processed_at from stripe_events where id = any($1)', [mine.map((e) => e.id)]);
  assert.equal(ev.rows.length, mine.length);
  assert.ok(ev.rows.every((x) => x.deliveries === 2 && x.processed_at));
  const rec = await h.t.db.query(`select cancelled_at from outbox where topic = 'recovery.start' and payload->>'dueId' = $1`, [dueId]);
  assert.equal(rec.rows.length, 1, 'one recovery start, however often the failure is delivered');
  assert.ok(rec.rows[0].cancelled_at, 'and the payment cancelled it');
});

test('webhooks alone settle a payment whose API answer was lost, and a late failure does not undo it', async () => {
  const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
  const [attemptId] = [crypto.randomUUID()];
  // Stripe charged for an attempt our process never heard back about (it crashed after insert).
  const policy = (await h.t.db.query('select policy_id from premium_dues where id = $1', [dueId])).rows[0].policy_id;
  await h.t.db.query(
    `insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, status, amount_cents) values ($1, $2, 1, 'ivr', $3, 'pending', 12450)`,
    [attemptId, dueId, `pay:${policy}:${dueId}:1`]);
  const from = h.fake.events.length;
  const customer = (await h.t.db.query('select provider_customer_id from policyholders p join policies x on x.policyholder_id = p.id where x.id = $1', [policy])).rows[0].provider_customer_id;
  const pm = (await h.t.db.query('select provider_payment_method_id from payment_methods where provider_customer_id = $1', [customer])).rows[0].provider_payment_method_id;
  await h.payments.gateway.chargeOffSession({ customerId: customer, paymentMethodId: pm, amountCents: 12450, currency: 'usd',
    idempotencyKey: `pay:${policy}:${dueId}:1`, metadata: { due_id: dueId, policy_id: policy, attempt_id: attemptId, channel: 'ivr' } });
  const succeeded = h.fake.events.slice(from).find((e) => e.type === 'payment_intent.succeeded')!;
  assert.equal(await h.fake.deliver(succeeded), 200);
  const forged = { ...succeeded, id: 'evt_late_failure', type: 'payment_intent.payment_failed', created: succeeded.created - 60,
    data: { object: { ...succeeded.data.object, status: 'requires_payment_method', last_payment_error: { code: 'card_declined', decline_code: 'generic_decline' } } } };
  assert.equal(await h.fake.deliver(forged as never), 200);
  const s = await dueState(h.t, dueId);
  assert.deepEqual([s.status, s.attempts.length, s.attempts[0].status], ['paid', 1, 'succeeded']);
  // The caller that crashed retries: same key, Stripe replays, nothing new.
  assert.equal((await chargeDue({ dueId, channel: 'ivr' }, h.payments.deps)).outcome, 'already-paid');
});

test('unknown event types and events for other systems are recorded and ignored with 200', async () => {
  const e = { id: 'evt_unknown_1', object: 'event', type: 'customer.updated', created: Math.floor(Date.now() / 1000), data: { object: { id: 'cus_x' } } };
  assert.equal(await h.fake.deliver(e as never), 200);
  const row = (await h.t.db.query('select type, outcome from stripe_events where id = $1', ['evt_unknown_1'])).rows[0];
  assert.equal(row.type, 'customer.updated');
  assert.match(row.outcome, /^ignored/);
});

test('events about nothing of ours are recorded, ignored and chained per day on spread-out chains, never on the due chains', async () => {
  const at = Math.floor(Date.now() / 1000);
  const foreign = Array.from({ length: 40 }, (_, i) => ({
    id: `evt_foreign_${i}`, object: 'event', type: i % 2 ? 'customer.updated' : 'payment_intent.succeeded', created: at,
    data: { object: { id: `obj_${i}`, object: 'thing', metadata: {} } },
  }));
  const before = await counts();
  const answers = await Promise.all(foreign.map((e) => h.fake.deliver(e as never)));
  assert.deepEqual([...new Set(answers)], [200]);
  const rows = (await h.t.db.query(`select outcome from stripe_events where id like 'evt_foreign_%'`)).rows;
  assert.equal(rows.length, 40);
  assert.ok(rows.every((r) => /^ignored: no due of ours/.test(r.outcome)));
  const chains = (await h.t.db.query(
    `select i.provider_ref, count(*)::int as n from evidence_events e join interactions i on i.id = e.interaction_id
      where e.provider_ref like 'evt_foreign_%' group by 1`)).rows;
  assert.equal(chains.reduce((s, c) => s + c.n, 0), 40, 'each one is evidence');
  assert.ok(chains.length > 1, 'spread over several chains, so concurrent deliveries do not queue on one head');
  assert.ok(chains.every((c) => /^stripe-events:\d{4}-\d\d-\d\d:\d+$/.test(c.provider_ref)), JSON.stringify(chains));
  assert.equal((await counts()).attempts, before.attempts);
});

test('one payment settled by two deliveries at once: one attempt, paid once, recorded once', async () => {
  for (let round = 0; round < 4; round++) {
    const { dueId } = await h.seedDue({ card: 'pm_card_visa' });
    const attemptId = crypto.randomUUID();
    const policy = (await h.t.db.query('select policy_id from premium_dues where id = $1', [dueId])).rows[0].policy_id;
    // The attempt exists (committed before Stripe is called) but has no payment id yet: our API answer was lost.
    await h.t.db.query(
      `insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, status, amount_cents) values ($1, $2, 1, 'ivr', $3, 'pending', 12450)`,
      [attemptId, dueId, `pay:${policy}:${dueId}:1`]);
    const holder = (await h.t.db.query(
      `select h.provider_customer_id as customer, m.provider_payment_method_id as pm from policies x join policyholders h on h.id = x.policyholder_id
         join payment_methods m on m.policyholder_id = h.id where x.id = $1`, [policy])).rows[0];
    const from = h.fake.events.length;
    await h.payments.gateway.chargeOffSession({ customerId: holder.customer, paymentMethodId: holder.pm, amountCents: 12450, currency: 'usd',
      idempotencyKey: `pay:${policy}:${dueId}:1`, metadata: { due_id: dueId, policy_id: policy, attempt_id: attemptId, channel: 'ivr' } });
    const event = h.fake.events.slice(from).find((e) => e.type === 'payment_intent.succeeded')!;
    // Two deliveries under two event ids (as from two endpoints): the second to lock the due read the
    // attempt in a statement that began before the first committed, and must see it succeeded.
    const copy = { ...event, id: `${event.id}_again` };
    assert.deepEqual(await Promise.all([h.fake.deliver(event), h.fake.deliver(copy)]), [200, 200]);
    const s = await dueState(h.t, dueId);
    assert.deepEqual([s.status, s.attempts.length, s.attempts[0].status], ['paid', 1, 'succeeded'], `round ${round}`);
    const paid = await h.t.db.query(
      `select e.type, count(*)::int as n from evidence_events e join interactions i on i.id = e.interaction_id
        where i.provider_ref = $1 group by 1 order by 1`, [`due:${dueId}`]);
    assert.deepEqual(paid.rows, [{ type: 'due.paid', n: 1 }, { type: 'payment.succeeded', n: 1 }, { type: 'stripe.event', n: 2 }], `round ${round}`);
  }
});
