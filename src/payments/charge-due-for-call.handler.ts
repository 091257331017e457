import { EvidenceType } from '../evidence/evidence-event.js';
import type { chargeDueJob } from '../jobs/contracts/charge-due.job.js';
import { paymentReceiptJob, receiptCorrelation } from '../jobs/contracts/payment-receipt.job.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { outboxRow } from '../jobs/outbox-rows.js';
import { AppError } from '../shared/app-error.js';
import { chargeDue } from './charge-due.js';
import type { DeclineClass } from './classify-decline.js';
import type { PaymentsDeps } from './payments-deps.js';

/**
 * Charge errors no retry can fix, and what the caller is told: a card or token Stripe refuses (as
 * invalid, not declined) asks for other details; the rest say the payment could not be completed.
 * Stripe being unreachable is not here: the job retries with the same idempotency key.
 */
const FINAL_ERRORS: Record<string, DeclineClass | null> = {
  PAY_PROVIDER_REJECTED: 'new-details',
  PAY_NO_PAYMENT_METHOD: 'new-details',
  PAY_DUE_NOT_FOUND: null,
  PAY_DUE_NOT_PAYABLE: null,
  PAY_IDEMPOTENCY_MISMATCH: null,
};

/**
 * The charge a caller asked for, run off the voice turn: chargeDue (one
 * charge per due, whatever the concurrency) with the card on file or the one
 * <Pay> tokenized. On success the receipt is queued as an `sms.payment-receipt` job on the call
 * (ids only; sms chooses the consented number and texts it). The outcome is stored on the job for
 * the call that polls it.
 */
export const createChargeDueForCallHandler =
  (deps: { payments: PaymentsDeps }): JobHandler<typeof chargeDueJob> =>
  async (job) => {
    const p = job.payload;
    let r: Awaited<ReturnType<typeof chargeDue>>;
    try {
      r = await chargeDue({ dueId: p.dueId, channel: 'ivr', ...(p.paymentMethodId ? { paymentMethodId: p.paymentMethodId } : {}) }, deps.payments);
    } catch (err) {
      // why: a caller is holding on the line; an error no retry can fix is the outcome now, not after the job's retries.
      const final = err instanceof AppError && Object.hasOwn(FINAL_ERRORS, err.code) ? err : null;
      if (!final) throw err;
      const declineClass = FINAL_ERRORS[final.code];
      const result = { outcome: 'failed', error: final.code, ...(declineClass ? { declineClass } : {}) };
      return { result, evidence: [{ type: EvidenceType.PAYMENT_RESULT, providerRef: null, payload: { dueId: p.dueId, ...result, message: final.message } }] };
    }
    const result: Record<string, unknown> = { outcome: r.outcome };
    if ('attemptId' in r && r.attemptId) result.attemptId = r.attemptId;
    if (r.outcome === 'failed') result.declineClass = r.declineClass;
    if (r.outcome === 'blocked') result.declineClass = r.retryAfter ? 'retry-later' : 'never-retry';
    if ('paymentId' in r && r.paymentId) result.providerPaymentId = r.paymentId;
    // The call's own chain says what its charge did, by provider reference (pi_...), never card data.
    const outcome = { type: EvidenceType.PAYMENT_RESULT, providerRef: (result.providerPaymentId as string | undefined) ?? null, payload: { dueId: p.dueId, ...result } };
    // why: a run that died after Stripe charged finds the due already paid (by Stripe's webhook, or the reconciliation):
    // that payment's receipt is still owed; the receipt job stands down if another one for the attempt came first.
    const paidAttempt = r.outcome === 'succeeded' && !r.duplicate ? r.attemptId : r.outcome === 'already-paid' ? r.attemptId : null;
    if (!paidAttempt) return { result, evidence: [outcome] };

    const receipt = outboxRow(paymentReceiptJob, { dueId: p.dueId, attemptId: paidAttempt, interactionId: job.interactionId },
      { runAt: deps.payments.clock.now(), correlation: receiptCorrelation(paidAttempt) });
    return { result, evidence: [outcome], outbox: [receipt] };
  };
