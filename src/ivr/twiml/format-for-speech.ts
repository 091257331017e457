import type { Locale } from '../../flows/inbound-call.types.js';

/** "$124.50" / "124,50 US$" as the caller's language writes it; TTS reads currency well. */
export const formatMoney = (cents: number, currency: string, locale: Locale): string =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() }).format(cents / 100);

/** A calendar day ('2026-12-01') as "December 1" / "1 de diciembre", never shifted by time zones. */
export const formatDueDate = (isoDay: string, locale: Locale): string =>
  new Intl.DateTimeFormat(locale, { month: 'long', day: 'numeric', timeZone: 'UTC' }).format(new Date(`${isoDay}T00:00:00Z`));

/** Digits read one by one ("4, 2, 4, 2"): how confirmation numbers and card endings are read back. */
export const spellDigits = (s: string): string => s.split('').join(', ');
