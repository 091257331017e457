import { findSmsConsents } from '../consent/find-sms-consents.js';
import type { ContactEngine } from '../contact/contact-engine.js';
import type { Db } from '../db/pool.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import { fallbackReceiptCorrelation, receiptCorrelation, type PaymentReceiptFacts, type paymentReceiptJob } from '../jobs/contracts/payment-receipt.job.js';
import { earlierJobAbout, jobsAbout } from '../jobs/earlier-job-about.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { formatMoney } from '../shared/format-money.js';
import { toSupportedLocale } from '../shared/webhook-edge/supported-locale.js';
import { chooseConsentedNumber } from './choose-consented-number.js';
import type { SmsCatalog } from './sms-catalog.js';

/** Port: the receipt of a paid due (payments' findReceiptDetails, wired in src/runtime); null when the due does not exist. */
export type FindReceiptFacts = (r: { dueId: string; attemptId: string; interactionId: string | null }) => Promise<PaymentReceiptFacts | null>;

/**
 * Why this receipt job must not text (another job owns the receipt), or null. Up to three jobs may be
 * about one payment: the charge's (with the call or thread it was made in), the same charge's
 * retry after a crash (the later of the two stands down), and the settlement's fallback, which
 * stands down while any charge receipt job exists; a charge receipt stands down after a fallback
 * that already texted.
 */
const alreadyOwnedBy = async (db: Db, p: { attemptId: string; fallback: boolean }, jobId: string): Promise<string | null> => {
  if (p.fallback) {
    const charge = await jobsAbout(db, receiptCorrelation(p.attemptId));
    return charge.length ? 'The charge that made this payment queued its own receipt.' : null;
  }
  if (await earlierJobAbout(db, receiptCorrelation(p.attemptId), jobId)) return 'The receipt of this payment was already queued by an earlier job.';
  const settled = await jobsAbout(db, fallbackReceiptCorrelation(p.attemptId));
  return settled.some((j) => j.id !== jobId && j.completed && j.result?.sent === true) ? 'The receipt of this payment was already texted when it settled.' : null;
};

/**
 * Texts a payment's receipt to the number the customer is using when it consented, else to another
 * consented number of the holder (see chooseConsentedNumber); the choice and its reason are
 * evidence either way, then the text sent.
 */
export const createPaymentReceiptHandler =
  (deps: {
    db: Db; contact: ContactEngine; receiptFacts: FindReceiptFacts; smsCatalog: SmsCatalog; insurerName: string;
    /** The interaction's numbers and kind (evidence's findInteractionNumbers, wired in src/runtime). */
    thread: (interactionId: string | null) => Promise<{ phone: string; ourNumber: string; kind: string } | null>;
  }): JobHandler<typeof paymentReceiptJob> =>
  async (job) => {
    const standDown = await alreadyOwnedBy(deps.db, job.payload, job.id);
    if (standDown) return { evidence: [{ type: EvidenceType.PAYMENT_RECEIPT, providerRef: null, payload: { channel: 'sms', to: null, basis: 'none', reason: standDown } }] };
    const facts = await deps.receiptFacts(job.payload);
    if (!facts) return {};
    const consents = await findSmsConsents(deps.db, facts.numbers.map((n) => n.to));
    const chosen = chooseConsentedNumber(facts.numbers.map((n) => {
      const granted = consents.get(n.to);
      return { ...n, consent: granted === undefined ? 'none' : granted ? 'granted' : 'opted-out' };
    }));
    const decision = { type: EvidenceType.PAYMENT_RECEIPT, providerRef: null, payload: { channel: 'sms', ...chosen } };
    if (!chosen.to) return { evidence: [decision] };
    const locale = toSupportedLocale(facts.locale);
    const body = deps.smsCatalog.text(locale, 'paymentReceipt', {
      insurer: deps.insurerName,
      amount: formatMoney(facts.amountCents, facts.currency, locale),
      policy: facts.policyNumber,
      code: facts.confirmation,
    });
    // why: the customer just paid (by phone, text or link): the receipt answers them, so it goes now, transactional.
    // why: paid in a text conversation, the receipt comes on that thread, from the number they were texting.
    const thread = chosen.basis === 'caller' ? await deps.thread(job.payload.interactionId) : null;
    const from = thread?.kind === 'sms-thread' && thread.phone === chosen.to ? { from: thread.ourNumber } : {};
    const sent = await deps.contact.sendText({ to: chosen.to, body, kind: 'transactional', purpose: 'payment-receipt', replyToInbound: true, ...from }, job);
    return sent.deferUntil ? sent : { evidence: [decision, ...sent.evidence], result: { sent: sent.evidence.some((e) => e.type === EvidenceType.OUTBOUND_SENT) } };
  };
