import { EvidenceType } from '../evidence/evidence-event.js';
import type { sendPayLinkJob } from '../jobs/contracts/send-pay-link.job.js';
import { sendSmsJob } from '../jobs/contracts/send-sms.job.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { outboxRow } from '../jobs/outbox-rows.js';
import { formatMoney } from '../shared/format-money.js';
import type { SmsCatalog } from './sms-catalog.js';
import type { ThreadNumbers } from './charge-quote.handler.js';

/** Port: payments' pay link for a due (the live one reused), with what the text names; 'paid' when nothing is owed. */
export type PayLinkForText = (dueId: string) => Promise<
  { status: 'open'; url: string; expiresAt: Date; amountCents: number; currency: string; policyNumber: string } | { status: 'paid'; policyNumber: string }
>;

const expiryFormats = new Map<string, Intl.DateTimeFormat>();
const formatExpiry = (at: Date, locale: 'en-US' | 'es-US', zone: string): string => {
  const key = `${locale}:${zone}`;
  let f = expiryFormats.get(key);
  if (!f) expiryFormats.set(key, (f = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: zone, timeZoneName: 'short' })));
  return f.format(at);
};

/**
 * Makes (or reuses) a secure pay link for the due a texter asked to pay and queues the text
 * carrying it, on the thread, as a reply through the contact engine. The link's creation is
 * idempotent (payments keeps one live link per due), so a retry never makes a second payable page.
 */
export const createSendPayLinkHandler =
  (deps: { payLink: PayLinkForText; thread: ThreadNumbers; smsCatalog: SmsCatalog; insurerName: string; homeZone: string; now: () => Date }): JobHandler<typeof sendPayLinkJob> =>
  async (job) => {
    const p = job.payload;
    const link = await deps.payLink(p.dueId);
    const thread = await deps.thread(job.interactionId);
    const body = link.status === 'paid'
      ? deps.smsCatalog.text(p.locale, 'alreadyPaid', { insurer: deps.insurerName, policy: link.policyNumber })
      : deps.smsCatalog.text(p.locale, 'payLink', {
        insurer: deps.insurerName, policy: link.policyNumber, amount: formatMoney(link.amountCents, link.currency, p.locale), url: link.url,
        expires: formatExpiry(link.expiresAt, p.locale, deps.homeZone),
      });
    const text = outboxRow(sendSmsJob, {
      to: p.to, ...(thread ? { from: thread.ourNumber } : {}), body, kind: 'transactional', purpose: 'sms-pay-link', replyToInbound: true,
    }, { runAt: deps.now() });
    return { evidence: [{ type: EvidenceType.PAY_LINK_TEXTED, providerRef: null, payload: { dueId: p.dueId, status: link.status, to: p.to } }], outbox: [text] };
  };
