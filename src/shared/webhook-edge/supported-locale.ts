/** The languages the gateway speaks and writes. */
export type SupportedLocale = 'en-US' | 'es-US';

/** A stored or provider locale (`es`, `es-MX`, `en-GB`...) as one we speak: Spanish for any `es`, else English. */
export const toSupportedLocale = (locale: string | null | undefined, fallback: SupportedLocale = 'en-US'): SupportedLocale => {
  if (!locale) return fallback;
  return locale.toLowerCase().startsWith('es') ? 'es-US' : 'en-US';
};
