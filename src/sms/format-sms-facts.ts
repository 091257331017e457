import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { Locale } from '../flows/inbound-call.types.js';
import { formatMoney } from '../shared/format-money.js';

const dayFormats = new Map<Locale, Intl.DateTimeFormat>();

/** "Dec 5" / "5 dic" for a YYYY-MM-DD date (a calendar day: no zone shift). */
export const formatDay = (isoDate: string, locale: Locale): string => {
  let f = dayFormats.get(locale);
  if (!f) dayFormats.set(locale, (f = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' })));
  return f.format(new Date(`${isoDate}T00:00:00Z`));
};

/** "(800) 555-0100" for a US number; other numbers as given. */
export const formatPhone = (e164: string): string => parsePhoneNumberFromString(e164)?.formatNational() ?? e164;

/** One line per due: "policy HM-A-200874: $118.20 due Dec 5" / "póliza HM-A-200874: $118.20 vence 5 dic". */
export const formatDues = (dues: readonly { policyNumber: string; amountCents: number; currency: string; dueDate: string }[], locale: Locale): string =>
  dues
    .map((d) => locale === 'es-US'
      ? `póliza ${d.policyNumber}: ${formatMoney(d.amountCents, d.currency, locale)} vence ${formatDay(d.dueDate, locale)}`
      : `policy ${d.policyNumber}: ${formatMoney(d.amountCents, d.currency, locale)} due ${formatDay(d.dueDate, locale)}`)
    .join('; ');
