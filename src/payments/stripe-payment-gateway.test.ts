import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AppError } from '../shared/app-error.js';
import { startFakeStripe, type FakeStripe } from './fake-stripe/fake-stripe-server.js';
import type { PaymentGateway } from './payment-gateway.js';
import { createStripeClient, createStripePaymentGateway } from './stripe-payment-gateway.js';

let fake: FakeStripe;
let gw: PaymentGateway;
let customerId: string;
before(async () => {
  fake = await startFakeStripe({ secretKey: 'sk_test_gateway', webhookSecret: 'whsec_test' });
  gw = createStripePaymentGateway(
    createStripeClient({ secretKey: 'sk_test_gateway', endpoint: fake.endpoint, maxNetworkRetries: 2, timeoutMs: 2_000 }),
  );
  ({ customerId } = await gw.ensureCustomer({ policyholderId: 'ph1', name: 'Ana Tester', idempotencyKey: 'cus:ph1' }));
});
after(async () => fake.close());

const charge = (key: string, pm = 'pm_card_visa', amountCents = 12_450) =>
  gw.chargeOffSession({ customerId, paymentMethodId: pm, amountCents, currency: 'usd', idempotencyKey: key, metadata: { due_id: 'd1' } });

test('the real SDK charges through the fake; the card comes back as brand and last4 only', async () => {
  const card = await gw.attachPaymentMethod({ customerId, paymentMethodId: 'pm_card_mastercard', idempotencyKey: 'att:1' });
  assert.match(card.paymentMethodId, /^pm_/);
  assert.deepEqual([card.brand, card.last4], ['mastercard', '4444']);
  const r = await charge('k-success');
  assert.equal(r.status, 'succeeded');
  assert.ok(r.status === 'succeeded' && r.paymentId.startsWith('pi_') && r.amountCents === 12_450);
});

test('a decline is a result carrying Stripe decline, network and advice codes', async () => {
  const r = await charge('k-stolen', 'pm_card_chargeDeclinedStolenCard');
  assert.equal(r.status, 'failed');
  assert.ok(r.status === 'failed');
  assert.match(r.paymentId ?? '', /^pi_/);
  assert.deepEqual(
    [r.failure.code, r.failure.declineCode, r.failure.networkDeclineCode, r.failure.adviceCode],
    ['card_declined', 'stolen_card', '43', 'do_not_try_again'],
  );
});

test('same key replays the first answer; the card is charged once', async () => {
  const before = fake.counters.chargesCreated;
  const a = await charge('k-replay');
  const b = await charge('k-replay');
  assert.deepEqual(a, b);
  assert.equal(fake.counters.chargesCreated, before + 1);
  assert.ok(fake.requests.some((r) => r.idempotencyKey === 'k-replay' && r.replayed));
});

test('same key with different parameters is refused as our bug, not charged', async () => {
  await charge('k-mismatch', 'pm_card_visa', 1_000);
  await assert.rejects(charge('k-mismatch', 'pm_card_visa', 2_000), (e: unknown) => e instanceof AppError && e.code === 'PAY_IDEMPOTENCY_MISMATCH');
});

test('a connection dropped after Stripe charged: the SDK retries with the same key and gets the same payment', async () => {
  const before = fake.counters.chargesCreated;
  fake.failNext({ kind: 'network', when: 'after' });
  const r = await charge('k-net');
  assert.equal(r.status, 'succeeded');
  assert.equal(fake.counters.chargesCreated, before + 1);
});

test('network down beyond the SDK retries is PAY_PROVIDER_UNAVAILABLE; a later retry with the key charges once', async () => {
  const before = fake.counters.chargesCreated;
  fake.failNext({ kind: 'network', when: 'after', times: 4 });
  await assert.rejects(charge('k-down'), (e: unknown) => e instanceof AppError && e.code === 'PAY_PROVIDER_UNAVAILABLE');
  const r = await charge('k-down');
  assert.equal(r.status, 'succeeded');
  assert.equal(fake.counters.chargesCreated, before + 1);
});

test('refunds never exceed what remains; pay links are checkout sessions with a url', async () => {
  const r = await charge('k-refund');
  assert.ok(r.status === 'succeeded');
  const re = await gw.refund({ paymentId: r.paymentId, amountCents: 2_450, reason: 'requested_by_customer', idempotencyKey: 're1', metadata: {} });
  assert.deepEqual([re.status, re.amountCents], ['succeeded', 2_450]);
  await assert.rejects(
    gw.refund({ paymentId: r.paymentId, amountCents: 10_001, reason: 'requested_by_customer', idempotencyKey: 're2', metadata: {} }),
    (e: unknown) => e instanceof AppError && e.code === 'PAY_PROVIDER_REJECTED',
  );
  const link = await gw.createPayLink({
    dueId: 'd1', amountCents: 12_450, currency: 'usd', description: 'Premium', successUrl: 'https://x.test/ok', cancelUrl: 'https://x.test/no',
    idempotencyKey: 'pl1', expiresAt: new Date(Date.now() + 3_600_000), metadata: { due_id: 'd1' },
  });
  assert.match(link.url, /^http:\/\/127\.0\.0\.1:\d+\/checkout\/cs_/);
  const page = await fetch(link.url);
  assert.match(await page.text(), /124\.50 USD/);
  const recent = await gw.listRecentPayments(new Date(Date.now() - 60_000));
  const mine = recent.find((p) => p.paymentId === r.paymentId);
  assert.deepEqual([mine?.status, mine?.amountRefundedCents], ['succeeded', 2_450]);
});

test('paymentIntents.search through the real SDK: Stripe\'s query language and search_result pages; findCharge by attempt id', async () => {
  const stripe = createStripeClient({ secretKey: 'sk_test_gateway', endpoint: fake.endpoint, maxNetworkRetries: 0 });
  for (let i = 0; i < 3; i++) {
    await gw.chargeOffSession({ customerId, paymentMethodId: 'pm_card_visa', amountCents: 5_000 + i, currency: 'usd', idempotencyKey: `k-search-${i}`,
      metadata: { due_id: 'd-search', attempt_id: `a-${i}` } });
  }
  const page = await stripe.paymentIntents.search({ query: `metadata["due_id"]:"d-search" AND status:'succeeded'`, limit: 2 });
  assert.equal(page.object, 'search_result');
  assert.equal(page.url, '/v1/payment_intents/search');
  assert.deepEqual([page.data.length, page.has_more, typeof page.next_page], [2, true, 'string']);
  assert.deepEqual(page.data.map((p) => p.amount), [5_002, 5_001], 'newest first');
  const all = await stripe.paymentIntents.search({ query: `metadata['due_id']:'d-search'`, limit: 2 }).autoPagingToArray({ limit: 10 });
  assert.equal(all.length, 3);
  assert.equal((await stripe.paymentIntents.search({ query: `metadata['due_id']:'d-search' AND -amount>5001` })).data.length, 2);
  await assert.rejects(stripe.paymentIntents.search({ query: 'due_id:d-search' }), (e: { statusCode?: number; type?: string }) =>
    e.statusCode === 400 && e.type === 'StripeInvalidRequestError');

  const found = await gw.findCharge({ attemptId: 'a-1', paymentId: null });
  assert.ok(found?.status === 'succeeded' && found.amountCents === 5_001);
  assert.equal(await gw.findCharge({ attemptId: 'a-none', paymentId: null }), null);
  const byId = await gw.findCharge({ attemptId: 'ignored', paymentId: found.paymentId });
  assert.equal(byId?.status === 'succeeded' && byId.paymentId, found.paymentId);
});
