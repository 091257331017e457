import { EvidenceType } from '../evidence/evidence-event.js';
import type { chargeQuoteJob } from '../jobs/contracts/charge-quote.job.js';
import { paymentReceiptJob, receiptCorrelation } from '../jobs/contracts/payment-receipt.job.js';
import { sendSmsJob } from '../jobs/contracts/send-sms.job.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { outboxRow } from '../jobs/outbox-rows.js';
import { formatMoney } from '../shared/format-money.js';
import { formatPhone } from './format-sms-facts.js';
import type { SmsCatalog } from './sms-catalog.js';

/** Port: payments' chargeQuotedDue (wired in src/runtime). */
export type ChargeQuotedDue = (q: { dueId: string; amountCents: number; paymentMethodId: string }) => Promise<{
  outcome: 'succeeded' | 'already-paid' | 'declined' | 'pending' | 'changed';
  attemptId: string | null;
  policyNumber: string | null;
}>;

/** Port: the number the thread is with and our number, from the job's interaction (the SMS thread). */
export type ThreadNumbers = (interactionId: string | null) => Promise<{ phone: string; ourNumber: string } | null>;

/**
 * Charges the payment a texter confirmed with YES, as quoted (payments refuses a changed amount or
 * card), then answers by text on the thread: the receipt when it went through (its own job, which
 * a second receipt of the same payment stands down from), or why not. Either answer is a job of its
 * own, queued when this one completes: a charge is never made again because its answer had to wait
 * (for the sender's rate, say). Both go through the contact engine as replies to the customer.
 */
export const createChargeQuoteHandler =
  (deps: { charge: ChargeQuotedDue; thread: ThreadNumbers; smsCatalog: SmsCatalog; insurerName: string; now: () => Date }): JobHandler<typeof chargeQuoteJob> =>
  async (job) => {
    const p = job.payload;
    const r = await deps.charge({ dueId: p.dueId, amountCents: p.amountCents, paymentMethodId: p.paymentMethodId });
    const outcome = { type: EvidenceType.PAYMENT_RESULT, providerRef: null, payload: { dueId: p.dueId, quoteId: p.quoteId, outcome: r.outcome, attemptId: r.attemptId } };
    const receipt = r.attemptId && (r.outcome === 'succeeded' || r.outcome === 'already-paid')
      ? [outboxRow(paymentReceiptJob, { dueId: p.dueId, attemptId: r.attemptId, interactionId: job.interactionId }, { runAt: deps.now(), correlation: receiptCorrelation(r.attemptId) })]
      : [];
    if (r.outcome === 'succeeded') return { evidence: [outcome], outbox: receipt };
    const thread = await deps.thread(job.interactionId);
    if (!thread) return { evidence: [outcome], outbox: receipt };
    const key = { 'already-paid': 'alreadyPaid', declined: 'payDeclined', pending: 'payProcessing', changed: 'payNotCharged' }[r.outcome];
    const body = deps.smsCatalog.text(p.locale, key, {
      insurer: deps.insurerName, policy: r.policyNumber ?? '', amount: formatMoney(p.amountCents, p.currency, p.locale), last4: p.last4 ?? '----',
      phone: formatPhone(thread.ourNumber),
    });
    const answer = outboxRow(sendSmsJob, {
      to: thread.phone, from: thread.ourNumber, body, kind: 'transactional', purpose: 'sms-payment-answer', replyToInbound: true,
    }, { runAt: deps.now() });
    return { evidence: [outcome], outbox: [...receipt, answer] };
  };
