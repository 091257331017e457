import type { Locale } from './inbound-call.types.js';
import type { OfferQuote } from './retention-call.types.js';
import type {
  AccountFacts, OpenDue, PaymentQuote, SmsConversationContext, SmsConversationEvent, SmsReplyData, SmsReplyKey,
} from './sms-conversation.types.js';

/** A job the turn queues (its topic's definition types the payload in the machine). */
export type SmsJob =
  | { topic: 'sms.charge-quote'; payload: { dueId: string; paymentMethodId: string; amountCents: number; currency: string; quoteId: string; last4: string | null; messageSid: string; locale: Locale } }
  | { topic: 'sms.send-pay-link'; payload: { dueId: string; to: string; locale: Locale; messageSid: string } }
  | { topic: 'retention.cancel-request'; payload: { policyId: string; policyholderId: string; callSid: string; channel: 'sms' } }
  | { topic: 'callbacks.book'; payload: { phone: string; policyholderId: string | null; policyId: string | null; reason: string; locale: Locale; callSid: string } }
  | { topic: 'retention.apply-offer'; payload: SmsRetentionCase & { offer: OfferQuote; toDate: string | null; declined: string[] } }
  | { topic: 'retention.cancel-policy'; payload: SmsRetentionCase & { effectiveDate: string; ground: 'cancellation'; declined: string[] } }
  | { topic: 'retention.flag-complaint'; payload: { policyId: string; policyholderId: string; callSid: string; channel: 'sms' } };

/** Who and what a retention decision by text is about (the retention jobs' case fields). */
type SmsRetentionCase = { policyId: string; policyholderId: string; callSid: string; channel: 'sms'; locale: Locale; phone: string; reason: string | null };

/** What one inbound text does to the thread: the answer, the quote waiting after it, the jobs it queues. */
export type SmsTurnOutcome = {
  reply: SmsReplyKey | null;
  replyData: SmsReplyData | null;
  quote: PaymentQuote | null;
  notUnderstood: number;
  locale: Locale;
  optOutConfirmed: boolean;
  jobs: SmsJob[];
};

export const DEFAULT_QUOTE_WINDOW_MS = 10 * 60_000;

const digits = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
const listed = (dues: readonly OpenDue[]) => dues.map(({ policyNumber, amountCents, currency, dueDate }) => ({ policyNumber, amountCents, currency, dueDate }));

/**
 * The customer's dues a request is about: those of the policy they named (matched without
 * punctuation or case), else all of them. `named` false: they named a policy that is not theirs.
 */
const duesAsked = (account: AccountFacts, policyNumber: string | null | undefined): { named: boolean; policyId: string | null; dues: OpenDue[] } => {
  if (!policyNumber) return { named: true, policyId: null, dues: account.dues };
  const policy = account.policies.find((p) => digits(p.policyNumber) === digits(policyNumber));
  if (!policy) return { named: false, policyId: null, dues: [] };
  return { named: true, policyId: policy.policyId, dues: account.dues.filter((d) => d.policyId === policy.policyId) };
};

const quoteFor = (due: OpenDue & { card: NonNullable<OpenDue['card']> }, e: SmsConversationEvent, at: Date): PaymentQuote => ({
  quoteId: `${e.messageSid}`,
  dueId: due.dueId, policyId: due.policyId, policyNumber: due.policyNumber, amountCents: due.amountCents, currency: due.currency,
  paymentMethodId: due.card.paymentMethodId, last4: due.card.last4, brand: due.card.brand,
  expiresAt: new Date(at.getTime() + (e.quoteWindowMs ?? DEFAULT_QUOTE_WINDOW_MS)).toISOString(),
});

const quoteData = (q: PaymentQuote, e: SmsConversationEvent): SmsReplyData => ({
  quote: { policyNumber: q.policyNumber, amountCents: q.amountCents, currency: q.currency, last4: q.last4, brand: q.brand, minutes: Math.round((e.quoteWindowMs ?? DEFAULT_QUOTE_WINDOW_MS) / 60_000) },
});

/**
 * The conversation's rules, pure: what one inbound text does. Keywords first (opt-out, opt-in,
 * HELP: carrier rules), then silence for an opted-out number, then what the words ask for. A payment
 * is charged only on YES to a quote still open (same due, same amount, before it expires); a late
 * YES gets a fresh quote, never a charge. Nothing about a policy is told to a number that is not
 * exactly one policyholder's.
 */
export const decideSmsTurn = (c: SmsConversationContext, e: SmsConversationEvent): SmsTurnOutcome => {
  const locale: Locale = !c.localeFromRecord && e.language ? e.language : c.locale;
  const base: SmsTurnOutcome = { reply: null, replyData: null, quote: c.quote, notUnderstood: 0, locale, optOutConfirmed: c.optOutConfirmed, jobs: [] };
  const say = (reply: SmsReplyKey, replyData: SmsReplyData | null = null, over: Partial<SmsTurnOutcome> = {}): SmsTurnOutcome => ({ ...base, reply, replyData, ...over });

  if (e.keyword === 'opt-out') return { ...base, quote: null, optOutConfirmed: true, reply: c.optOutConfirmed ? null : 'optOut' };
  if (e.keyword === 'opt-in') return say('optIn', null, { optOutConfirmed: false });
  if (e.keyword === 'help') return say('help');
  if (e.consent === 'opted-out') return { ...base, notUnderstood: c.notUnderstood };

  const at = new Date(e.at ?? 0);
  const account = e.account ?? null;
  const known = account && account.holder ? account : null;
  const policyNumber = e.policyNumber ?? null;
  const messageSid = e.messageSid;

  switch (e.intent) {
    case 'person':
      // why: no answer here; the booking job texts its confirmation (once, when it booked).
      return {
        ...base,
        quote: null,
        jobs: [{ topic: 'callbacks.book', payload: { phone: c.phone, policyholderId: known?.holder?.id ?? null, policyId: null, reason: 'asked', locale, callSid: messageSid } }],
      };
    case 'cancel-policy': {
      if (!known) return say('unknownNumber');
      const asked = duesAsked(known, policyNumber);
      if (!asked.named) return say('policyNotFound', { policyNumber });
      const live = known.policies.filter((p) => p.status !== 'cancelled' && (!asked.policyId || p.policyId === asked.policyId));
      if (live.length === 0) return say('nothingToCancel');
      // why: one request per text (the retention team calls about one policy); with several, the customer names it.
      if (live.length > 1) return say('cancelWhich', { policies: live.map((p) => p.policyNumber) });
      return say('cancelPolicy', { policyNumber: live[0]!.policyNumber }, {
        quote: null,
        jobs: [{ topic: 'retention.cancel-request', payload: { policyId: live[0]!.policyId, policyholderId: known.holder!.id, callSid: messageSid, channel: 'sms' } }],
      });
    }
    case 'balance': {
      if (!known) return say('unknownNumber');
      const asked = duesAsked(known, policyNumber);
      if (!asked.named) return say('policyNotFound', { policyNumber });
      return asked.dues.length ? say('balance', { dues: listed(asked.dues) }) : say('nothingDue');
    }
    case 'confirm': {
      const q = c.quote;
      if (!q) return say('options', null, { notUnderstood: 1 });
      const due = known?.dues.find((d) => d.dueId === q.dueId);
      const stillOpen = due && due.amountCents === q.amountCents && due.card?.paymentMethodId === q.paymentMethodId;
      if (stillOpen && at.getTime() < Date.parse(q.expiresAt)) {
        return say('paying', { quote: { ...quoteData(q, e).quote! } }, {
          quote: null,
          jobs: [{ topic: 'sms.charge-quote', payload: { dueId: q.dueId, paymentMethodId: q.paymentMethodId, amountCents: q.amountCents, currency: q.currency, quoteId: q.quoteId, last4: q.last4, messageSid, locale } }],
        });
      }
      // why: a late or stale YES never charges: the customer sees today's amount and card and says yes again.
      if (due && due.card) {
        const fresh = quoteFor({ ...due, card: due.card }, e, at);
        return say('quoteRenewed', quoteData(fresh, e), { quote: fresh });
      }
      return say('nothingDue', null, { quote: null });
    }
    case 'pay':
    case 'link': {
      if (!known) return say('unknownNumber');
      const asked = duesAsked(known, policyNumber);
      if (!asked.named) return say('policyNotFound', { policyNumber });
      if (asked.dues.length === 0) return say('nothingDue', null, { quote: null });
      if (asked.dues.length > 1) return say('payWhich', { dues: listed(asked.dues) }, { quote: null });
      const due = asked.dues[0]!;
      if (e.intent === 'pay' && due.card) {
        const q = quoteFor({ ...due, card: due.card }, e, at);
        return say('payQuote', quoteData(q, e), { quote: q });
      }
      return say('linkComing', { policyNumber: due.policyNumber }, {
        quote: null,
        jobs: [{ topic: 'sms.send-pay-link', payload: { dueId: due.dueId, to: c.phone, locale, messageSid } }],
      });
    }
    default: {
      const notUnderstood = c.notUnderstood + 1;
      return say(notUnderstood >= 2 ? 'offerPerson' : 'options', null, { notUnderstood });
    }
  }
};
