import { withTransaction } from '../db/pool.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import { chargeDue } from './charge-due.js';
import { PaymentEvidence } from './payment-evidence.js';
import type { ChargeResult } from './payment-gateway.js';
import type { PaymentsDeps } from './payments-deps.js';
import { isCustomerPresent } from './customer-present.js';
import { lockDue, paymentInteractionOf } from './lock-due.js';
import { recordPaymentFailed } from './record-payment-failure.js';
import { recordPaymentSucceeded } from './record-payment-success.js';
import { appendInContext, settleContext } from './settle-context.js';

/**
 * Stripe keeps an idempotency key for at least 24 hours: within this window, replaying an attempt's
 * key either returns what Stripe did with it or does it now, so it can never charge twice. Later,
 * a replay could charge again, so an attempt Stripe has no record of is failed instead.
 */
export const IDEMPOTENCY_WINDOW_MS = 23 * 3_600_000;

type StaleAttempt = { id: string; due_id: string; provider_payment_id: string | null; channel: string; idempotency_key: string; created_at: Date };

export type Resolution = {
  attemptId: string;
  dueId: string;
  /** What was done: settled from what Stripe has, left to Stripe (still processing), retried with its key, or failed. */
  action: 'settled' | 'processing' | 'retried' | 'failed-never-received' | 'error';
  detail: string;
};

/**
 * Resolves payment attempts left `pending` past their lease (the process charging died, or Stripe's
 * answer was lost): each is looked up at Stripe (by payment id, else by the attempt id in the
 * PaymentIntent's metadata) and settled like an API answer or webhook would; one Stripe has no
 * record of is charged again with its own idempotency key inside the key's lifetime (a request
 * Stripe did receive is then answered from its record: search lags, the key does not), and failed,
 * with nothing charged, after it. Every resolution is evidence on the due's payment chain.
 * Safe to run anywhere, any number of times: every write goes through the due's lock.
 */
export const resolveStaleAttempts = async (deps: PaymentsDeps, opts: { limit?: number } = {}): Promise<Resolution[]> => {
  const { rows } = await deps.db.query<StaleAttempt>(
    `select id, due_id, provider_payment_id, channel, idempotency_key, created_at from payment_attempts
      where status = 'pending' and provider = 'stripe' and (claimed_until is null or claimed_until < $1) order by created_at limit $2`,
    [deps.clock.now(), opts.limit ?? 100],
  );
  const out: Resolution[] = [];
  for (const a of rows) {
    try {
      out.push(await resolveOne(deps, a));
    } catch (err) {
      out.push({ attemptId: a.id, dueId: a.due_id, action: 'error', detail: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
};

const resolveOne = async (deps: PaymentsDeps, a: StaleAttempt): Promise<Resolution> => {
  const found = await deps.gateway.findCharge({ attemptId: a.id, paymentId: a.provider_payment_id });
  const base = { attemptId: a.id, dueId: a.due_id };
  if (found?.status === 'processing') return { ...base, action: 'processing', detail: `Stripe is still processing ${found.paymentId}` };
  if (found) {
    const detail = `found at Stripe (${a.provider_payment_id ? 'by payment id' : 'by search on attempt_id'}): ${found.paymentId} ${found.status}`;
    await settle(deps, a, found, detail);
    return { ...base, action: 'settled', detail };
  }
  const age = deps.clock.now().getTime() - new Date(a.created_at).getTime();
  if (age < IDEMPOTENCY_WINDOW_MS) {
    const detail = `not found at Stripe; charged again with its own idempotency key ${a.idempotency_key}`;
    await record(deps, a, { action: 'retry', detail });
    const r = await chargeDue({ dueId: a.due_id, channel: 'reconcile' }, deps);
    return { ...base, action: 'retried', detail: `${detail}: ${r.outcome}` };
  }
  const detail = 'Stripe has no record of this charge request: it never reached Stripe and no money moved.';
  await record(deps, a, { action: 'fail', detail });
  return { ...base, action: 'failed-never-received', detail };
};

/** Settles the attempt from what Stripe has, as the API answer would have, in one transaction under the due's lock. */
const settle = async (deps: PaymentsDeps, a: StaleAttempt, found: Exclude<ChargeResult, { status: 'processing' }>, detail: string): Promise<void> => {
  const outbox: OutboxRow[] = [];
  await withTransaction(deps.db, async (client) => {
    const now = deps.clock.now();
    const due = await lockDue(client, a.due_id, { attemptId: a.id, paymentId: found.paymentId });
    if (!due) return;
    const ctx = settleContext(client, now, due, await paymentInteractionOf(client, due, now), { receiptFallbackMs: deps.config.receiptFallbackMs });
    await appendInContext(ctx, [{ type: PaymentEvidence.RESOLVED, providerRef: found.paymentId, payload: { attemptId: a.id, action: 'settle', detail } }]);
    if (found.status === 'succeeded') {
      const s = await recordPaymentSucceeded(ctx, due, {
        attemptId: a.id, paymentId: found.paymentId, amountCents: found.amountCents, currency: found.currency, channel: a.channel, source: 'reconcile',
      });
      outbox.push(...s.outbox);
      return;
    }
    const f = await recordPaymentFailed(ctx, due, {
      attemptId: a.id, paymentId: found.paymentId, failure: found.failure, channel: a.channel, offSession: !isCustomerPresent(a.channel), source: 'reconcile',
      ...(deps.config.decline ? { classify: deps.config.decline } : {}),
    });
    outbox.push(...f.outbox);
  });
  if (outbox.length) deps.dispatch?.(outbox);
};

/** Records a retry about to be made, or fails an attempt Stripe never received (only if still pending). */
const record = async (deps: PaymentsDeps, a: StaleAttempt, r: { action: 'retry' | 'fail'; detail: string }): Promise<void> => {
  await withTransaction(deps.db, async (client) => {
    const now = deps.clock.now();
    const due = await lockDue(client, a.due_id);
    if (!due) return;
    if (r.action === 'fail') {
      const failed = await client.query(
        `update payment_attempts set status = 'failed', claimed_until = null, failure_reason = $2, updated_at = $3
          where id = $1 and status = 'pending' and (claimed_until is null or claimed_until < $3)`,
        [a.id, r.detail, now],
      );
      if (failed.rowCount === 0) return;
    }
    const ctx = settleContext(client, now, due, await paymentInteractionOf(client, due, now), { receiptFallbackMs: deps.config.receiptFallbackMs });
    await appendInContext(ctx, [{ type: PaymentEvidence.RESOLVED, payload: { attemptId: a.id, action: r.action, detail: r.detail } }]);
  });
};
