import type { Locale } from '../flows/inbound-call.types.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** A calendar day ('2027-01-05') as a text says it: "Jan 5, 2027" / "5 ene 2027", never shifted by time zones. */
export const formatSmsDate = (isoDay: string, locale: Locale): string => {
  let f = formats.get(locale);
  if (!f) formats.set(locale, (f = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' })));
  return f.format(new Date(`${isoDay}T00:00:00Z`));
};
