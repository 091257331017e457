import { withTransaction } from '../db/pool.js';
import { AppError } from '../shared/app-error.js';
import { newId } from '../shared/ids.js';
import { computeRefund, type RefundGround } from './compute-refund.js';
import { appendEvidenceInTx } from '../evidence/append-in-transaction.js';
import { PaymentEvidence } from './payment-evidence.js';
import type { PaymentsDeps } from './payments-deps.js';
import { periodOf } from './billing-period.js';
import { lockDue, paymentInteractionOf } from './lock-due.js';
import { policyInceptionSql } from '../policies/policy-join-sql.js';

export type RefundPaymentInput = {
  attemptId: string;
  ground: RefundGround;
  /** Cover end date 'YYYY-MM-DD' for cancellations (default: today on the clock, UTC). */
  cancelDate?: string;
  /** Who asked (specialist id, 'system'): recorded as evidence. */
  requestedBy: string;
};

export type RefundPaymentResult = { refundId: string; amountCents: number; kind: string; explanation: string; status: 'succeeded' | 'pending' | 'failed' };

/**
 * Refunds a successful payment by the rules in compute-refund.ts: a refund
 * row is committed first with key `refund:{attemptId}:{kind}` (one refund of
 * each kind per payment), then Stripe is called with that key; a retry after
 * a network failure resumes the same row and key, so money goes back once.
 * Throws PAY_NOT_REFUNDABLE when nothing is owed or the payment did not succeed.
 */
export const refundPayment = async (i: RefundPaymentInput, deps: PaymentsDeps): Promise<RefundPaymentResult> => {
  const now = deps.clock.now();
  const claim = await withTransaction(deps.db, async (client) => {
    const a = await client.query<{ due_id: string; status: string; provider_payment_id: string | null; amount_cents: number; refunded_cents: number;
      currency: string }>(
      'select due_id, status, provider_payment_id, amount_cents, refunded_cents, currency from payment_attempts where id = $1',
      [i.attemptId],
    );
    const attempt = a.rows[0];
    if (!attempt || attempt.status !== 'succeeded' || !attempt.provider_payment_id) {
      throw new AppError('PAY_NOT_REFUNDABLE', `attempt ${i.attemptId} is not a successful payment`);
    }
    const due = (await lockDue(client, attempt.due_id))!;
    const interactionId = await paymentInteractionOf(client, due, now);
    const prior = await client.query<{ id: string; kind: string; amount_cents: number; status: string; idempotency_key: string; explanation: string }>(
      `select id, kind, amount_cents, status, idempotency_key, explanation from refunds where attempt_id = $1`, [i.attemptId]);
    const pol = await client.query<{ inception: string; period_end: string }>(
      `select ${policyInceptionSql('$1::uuid')}::text as inception, ($2::date + $3::interval)::date::text as period_end`,
      [due.policy_id, due.due_date, periodOf(due.billing_frequency)],
    );
    const refundedOrPending = prior.rows.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount_cents, 0);
    const calc = computeRefund({
      ground: i.ground, paidCents: attempt.amount_cents, refundedCents: Math.max(attempt.refunded_cents, refundedOrPending),
      periodStart: due.due_date, periodEnd: pol.rows[0]!.period_end, inceptionDate: pol.rows[0]!.inception,
      cancelDate: i.cancelDate ?? now.toISOString().slice(0, 10), freeLookDays: deps.config.freeLookDays,
    });
    const key = `refund:${i.attemptId}:${calc.kind}`;
    const same = prior.rows.find((r) => r.idempotency_key === key);
    if (same) {
      return { interactionId, dueId: due.id, paymentId: attempt.provider_payment_id, row: { id: same.id, amount: same.amount_cents, kind: same.kind, key,
        explanation: same.explanation, status: same.status } };
    }
    if (calc.amountCents <= 0) throw new AppError('PAY_NOT_REFUNDABLE', calc.explanation);
    const id = newId();
    await client.query(
      `insert into refunds (id, attempt_id, kind, amount_cents, currency, status, idempotency_key, explanation, created_at, updated_at)
       values ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $8)`,
      [id, i.attemptId, calc.kind, calc.amountCents, attempt.currency, key, calc.explanation, now],
    );
    await appendEvidenceInTx(client, interactionId, [{
      type: PaymentEvidence.REFUND_REQUESTED,
      payload: { refundId: id, attemptId: i.attemptId, ground: i.ground, kind: calc.kind, amountCents: calc.amountCents, explanation: calc.explanation, requestedBy: i.requestedBy },
    }], now);
    return { interactionId, dueId: due.id, paymentId: attempt.provider_payment_id, row: { id, amount: calc.amountCents, kind: calc.kind, key, explanation: calc.explanation, status: 'pending' } };
  });
  const { row } = claim;
  if (row.status === 'succeeded') return { refundId: row.id, amountCents: row.amount, kind: row.kind, explanation: row.explanation, status: 'succeeded' };

  const re = await deps.gateway.refund({
    paymentId: claim.paymentId, amountCents: row.amount, reason: i.ground === 'duplicate' ? 'duplicate' : 'requested_by_customer',
    idempotencyKey: row.key, metadata: { refund_id: row.id, attempt_id: i.attemptId },
  });
  await withTransaction(deps.db, async (client) => {
    const at = deps.clock.now();
    // why: lock order is always due → attempt → interaction (as in webhooks), or the two deadlock.
    await lockDue(client, claim.dueId);
    const upd = await client.query(
      `update refunds set status = $2, provider_refund_id = $3, updated_at = $4 where id = $1 and status = 'pending'`,
      [row.id, re.status, re.refundId, at],
    );
    if (re.status === 'succeeded') {
      // why: totals, not increments: charge.refunded may have recorded this refund already.
      await client.query(
        `update payment_attempts set updated_at = $2, refunded_cents = greatest(refunded_cents,
           (select coalesce(sum(amount_cents), 0) from refunds where attempt_id = $1 and status = 'succeeded')) where id = $1`,
        [i.attemptId, at],
      );
    }
    if (upd.rowCount === 1) {
      await appendEvidenceInTx(client, claim.interactionId, [{
        type: PaymentEvidence.REFUND_SUCCEEDED, providerRef: re.refundId,
        payload: { refundId: row.id, providerRefundId: re.refundId, amountCents: re.amountCents, status: re.status },
      }], at);
    }
  });
  return { refundId: row.id, amountCents: row.amount, kind: row.kind, explanation: row.explanation, status: re.status };
};
