import type { NoticeDue } from '../payments/find-notice-dues.js';
import { formatMoney } from '../shared/format-money.js';
import type { SupportedLocale } from '../shared/webhook-edge/supported-locale.js';
import { NOTICE_RULES, type NoticeKind } from './notice-kinds.js';
import type { NoticeTemplates } from './notice-templates.js';

/** What every notice may say of the insurer: its name, the number to call (as texted), and its grace period. */
export type NoticeWording = { insurerName: string; phone: string; graceDays: number };

/** The facts one notice is rendered from, read when it is sent (or estimated when it is queued). */
export type NoticeFacts = { notice: NoticeKind; locale: SupportedLocale; policyNumber: string; due: NoticeDue | null; payLink?: string };

const dayFormats = new Map<SupportedLocale, Intl.DateTimeFormat>();
/** "December 5" / "5 de diciembre": a calendar date (YYYY-MM-DD) as the customer's language writes it. */
export const formatDay = (date: string, locale: SupportedLocale): string => {
  let f = dayFormats.get(locale);
  if (!f) dayFormats.set(locale, (f = new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', timeZone: 'UTC' })));
  return f.format(new Date(`${date}T00:00:00Z`));
};

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The variables a notice's template takes, from its facts (the pay link only once it exists). */
const varsOf = (f: NoticeFacts, w: NoticeWording): Record<string, string> => ({
  insurer: w.insurerName,
  policy: f.policyNumber,
  phone: w.phone,
  ...(f.due ? {
    amount: formatMoney(f.due.amountCents, f.due.currency, f.locale),
    dueDate: formatDay(f.due.dueDate, f.locale),
    lastDay: formatDay(addDays(f.due.dueDate, w.graceDays), f.locale),
  } : {}),
  ...(f.payLink ? { payLink: f.payLink } : {}),
});

/** The notice's text; throws when a fact it needs is missing (a due for a due's notice, the pay link). */
export const renderNotice = (t: NoticeTemplates, f: NoticeFacts, w: NoticeWording): string =>
  t.render(f.locale, NOTICE_RULES[f.notice].template, varsOf(f, w));

/** The notice's text with what is known before sending, the rest (a pay link not made yet) at its worst case: for planning a batch. */
export const estimateNotice = (t: NoticeTemplates, f: NoticeFacts, w: NoticeWording): string =>
  t.worstCase(f.locale, NOTICE_RULES[f.notice].template, varsOf(f, w));
