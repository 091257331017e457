import type { OutboxHandler } from '../jobs/outbox-worker.js';
import type { DeclineClass } from '../payments/classify-decline.js';
import { AppError } from '../shared/app-error.js';
import { chargeDue } from '../payments/charge-due.js';
import type { PaymentsDeps } from '../payments/payments-deps.js';
import type { SmsCatalog } from '../sms/sms-catalog.js';
import { sendConsentedSms, type ConsentedSmsDeps } from '../sms/send-consented-sms.js';
import { formatMoney } from './twiml/format-for-speech.js';
import { confirmationNumber } from './find-payment-status.js';

export const CHARGE_DUE_TOPIC = 'payments.charge-due';

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
 * <Pay> tokenized. On success the receipt is texted if the number consented.
 * The outcome is stored on the job for the call that polls it.
 */
export const createChargeDueForCallHandler =
  (deps: { payments: PaymentsDeps; sms: ConsentedSmsDeps; smsCatalog: SmsCatalog; insurerName: string }): OutboxHandler =>
  async (job) => {
    const p = job.payload as { dueId: string; paymentMethodId?: string; callSid: string };
    let r: Awaited<ReturnType<typeof chargeDue>>;
    try {
      r = await chargeDue({ dueId: p.dueId, channel: 'ivr', ...(p.paymentMethodId ? { paymentMethodId: p.paymentMethodId } : {}) }, deps.payments);
    } catch (err) {
      // why: a caller is holding on the line; an error no retry can fix is the outcome now, not after the job's retries.
      const final = err instanceof AppError && Object.hasOwn(FINAL_ERRORS, err.code) ? err : null;
      if (!final) throw err;
      const declineClass = FINAL_ERRORS[final.code];
      const result = { outcome: 'failed', error: final.code, ...(declineClass ? { declineClass } : {}) };
      return { result, evidence: [{ type: 'payment.result', providerRef: null, payload: { dueId: p.dueId, ...result, message: final.message } }] };
    }
    const result: Record<string, unknown> = { outcome: r.outcome };
    if ('attemptId' in r && r.attemptId) result.attemptId = r.attemptId;
    if (r.outcome === 'failed') result.declineClass = r.declineClass;
    if (r.outcome === 'blocked') result.declineClass = r.retryAfter ? 'retry-later' : 'never-retry';
    if ('paymentId' in r && r.paymentId) result.providerPaymentId = r.paymentId;
    // The call's own chain says what its charge did, by provider reference (pi_...), never card data.
    const outcome = { type: 'payment.result', providerRef: (result.providerPaymentId as string | undefined) ?? null, payload: { dueId: p.dueId, ...result } };
    if (r.outcome !== 'succeeded' || r.duplicate) return { result, evidence: [outcome] };

    // The receipt's wording and the number's SMS consent, in one read.
    const { rows } = await deps.payments.db.query<{
      phone: string | null; granted: boolean | null; locale: string; amount_cents: number; currency: string; policy_number: string;
    }>(
      `select x.phone, (select granted from consents where phone_e164 = x.phone and channel = 'sms') as granted,
              ph.locale, d.amount_cents, d.currency, p.policy_number
         from premium_dues d join policies p on p.id = d.policy_id join policyholders ph on ph.id = p.policyholder_id
         cross join lateral (select phone_e164 as phone from policyholder_phones where policyholder_id = ph.id order by label limit 1) x
        where d.id = $1`,
      [p.dueId],
    );
    const row = rows[0];
    if (!row?.phone) return { result, evidence: [outcome] };
    const locale = row.locale.toLowerCase().startsWith('es') ? 'es-US' : 'en-US';
    const body = deps.smsCatalog.text(locale, 'paymentReceipt', {
      insurer: deps.insurerName,
      amount: formatMoney(row.amount_cents, row.currency, locale),
      policy: row.policy_number,
      code: confirmationNumber(r.attemptId),
    });
    const consent = row.granted === null ? null : { granted: row.granted };
    return { result, evidence: [outcome, ...(await sendConsentedSms(deps.sms, { to: row.phone, body, consent }))] };
  };
