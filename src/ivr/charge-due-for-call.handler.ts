import type { JobHandler } from '../jobs/job-registry.js';
import type { chargeDueJob } from '../payments/charge-due.job.js';
import type { DeclineClass } from '../payments/classify-decline.js';
import { AppError } from '../shared/app-error.js';
import { chargeDue } from '../payments/charge-due.js';
import { findReceiptDetails } from '../payments/find-receipt-details.js';
import type { PaymentsDeps } from '../payments/payments-deps.js';
import type { SmsCatalog } from '../sms/sms-catalog.js';
import { chooseConsentedNumber } from '../sms/choose-consented-number.js';
import { sendConsentedSms, type ConsentedSmsDeps } from '../sms/send-consented-sms.js';
import { formatMoney } from './twiml/format-for-speech.js';
import { confirmationNumber } from './find-payment-status.js';
import { EvidenceType } from '../evidence/evidence-event.js';

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
 * <Pay> tokenized. On success the receipt is texted to the number the caller is using when it
 * consented, else to another consented number of the holder (see chooseConsentedNumber); the choice
 * and its reason are evidence either way.
 * The outcome is stored on the job for the call that polls it.
 */
export const createChargeDueForCallHandler =
  (deps: { payments: PaymentsDeps; sms: ConsentedSmsDeps; smsCatalog: SmsCatalog; insurerName: string }): JobHandler<typeof chargeDueJob> =>
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
    if (r.outcome !== 'succeeded' || r.duplicate) return { result, evidence: [outcome] };

    // The receipt's wording, the number the caller is using and the holder's numbers, with their SMS consent, in one read.
    const row = await findReceiptDetails(deps.payments.db, p.dueId, job.interactionId);
    if (!row) return { result, evidence: [outcome] };
    const chosen = chooseConsentedNumber(row.numbers);
    const decision = { type: EvidenceType.PAYMENT_RECEIPT, providerRef: null, payload: { channel: 'sms', ...chosen } };
    if (!chosen.to) return { result, evidence: [outcome, decision] };
    const locale = row.locale.toLowerCase().startsWith('es') ? 'es-US' : 'en-US';
    const body = deps.smsCatalog.text(locale, 'paymentReceipt', {
      insurer: deps.insurerName,
      amount: formatMoney(row.amount_cents, row.currency, locale),
      policy: row.policy_number,
      code: confirmationNumber(r.attemptId),
    });
    return { result, evidence: [outcome, decision, ...(await sendConsentedSms(deps.sms, { to: chosen.to, body, consent: { granted: true } }))] };
  };
