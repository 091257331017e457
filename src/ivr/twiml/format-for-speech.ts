import type { Locale } from '../../flows/inbound-call.types.js';

// why: building an Intl formatter costs far more than using one; a voice turn formats on every answer.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar day ('2026-12-01') as "December 1" / "1 de diciembre", never shifted by time zones. */
export const formatDueDate = (isoDay: string, locale: Locale): string => {
  let f = dayFormats.get(locale);
  if (!f) dayFormats.set(locale, (f = new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', timeZone: 'UTC' })));
  return f.format(new Date(`${isoDay}T00:00:00Z`));
};

/** Digits read one by one ("4, 2, 4, 2"): how confirmation numbers and card endings are read back. */
export const spellDigits = (s: string): string => s.split('').join(', ');
