import type { Locale } from '../flows/inbound-call.types.js';
import type { SmsReplyData } from '../flows/sms-conversation.types.js';
import { formatMoney } from '../shared/format-money.js';
import { formatDay, formatDues, formatPhone } from './format-sms-facts.js';
import type { OfferQuote } from '../flows/retention-call.types.js';
import type { SmsCatalog } from './sms-catalog.js';


/** The facts of a retention offer as its text says them (premiums, dates, the cover). */
const offerVars = (o: OfferQuote, locale: Locale, coverText: (product: string, locale: Locale) => string | null): Record<string, string> => {
  switch (o.kind) {
    case 'downgrade-tier':
    case 'downgrade-sum':
      return {
        cover: o.kind === 'downgrade-tier' ? o.toTier : `${formatMoney(o.toSumInsuredCents, o.currency, locale)}`,
        amount: formatMoney(o.toPremiumCents, o.currency, locale), from: formatMoney(o.fromPremiumCents, o.currency, locale), date: formatDay(o.effectiveDate, locale),
      };
    case 'move-date':
      return { amount: formatMoney(o.amountCents, o.currency, locale), date: formatDay(o.fromDate, locale) };
    case 'skip-instalment':
      return { amount: formatMoney(o.fromAmountCents, o.currency, locale), date: formatDay(o.fromDate, locale), toDate: formatDay(o.toDate, locale), total: formatMoney(o.toAmountCents, o.currency, locale) };
    case 'explain-cover':
      return { cover: coverText(o.product, locale) ?? '' };
  }
};

/** What every version of the thread leaves for its renderer (versions 1 and 2 have no replyData). */
export type SmsReplyState = { reply: string | null; replyData?: SmsReplyData | null; locale: Locale; ourNumber: string };

/**
 * The text answering an inbound message, worded per locale from the thread's state; null for none.
 * Pure: facts come formatted from the state (amounts, dates, our number), the wording from the catalog.
 */
export const renderSmsReply = (
  s: SmsReplyState, catalog: SmsCatalog, insurer: string, coverText: (product: string, locale: Locale) => string | null = () => null,
): string | null => {
  if (!s.reply) return null;
  const d = s.replyData ?? {};
  const q = d.quote;
  const vars: Record<string, string> = { insurer, phone: formatPhone(s.ourNumber) };
  if (d.dues) {
    vars.dues = formatDues(d.dues, s.locale);
    vars.example = d.dues[0]?.policyNumber ?? '';
  }
  if (d.policies) {
    vars.policies = d.policies.join(', ');
    vars.example = d.policies[0] ?? '';
  }
  if (d.policyNumber) vars.policy = d.policyNumber;
  if (q) Object.assign(vars, { amount: formatMoney(q.amountCents, q.currency, s.locale), policy: q.policyNumber, last4: q.last4 ?? '----', minutes: String(q.minutes) });
  if (d.offer) Object.assign(vars, offerVars(d.offer, s.locale, coverText));
  return catalog.text(s.locale, s.reply, vars);
};
