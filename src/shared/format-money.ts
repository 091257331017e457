import type { SupportedLocale } from './webhook-edge/supported-locale.js';

// why: building an Intl formatter costs far more than using one; a voice turn formats on every answer.
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** "$124.50" as the customer's language writes it (TTS reads currency well); spoken, texted and linked alike. */
export const formatMoney = (cents: number, currency: string, locale: SupportedLocale): string => {
  const key = `${locale}:${currency}`;
  let f = moneyFormats.get(key);
  if (!f) moneyFormats.set(key, (f = new Intl.NumberFormat(locale, { style: 'currency', currency: currency.toUpperCase() })));
  return f.format(cents / 100);
};
