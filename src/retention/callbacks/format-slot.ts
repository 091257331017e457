const formats = new Map<string, Intl.DateTimeFormat>();

/** A callback's time as a text says it, in the insurer's zone with its name: "Fri, Dec 4, 10:30 AM EST" / "vie, 4 dic, 10:30 a.m. EST". */
export const formatSlot = (at: Date, locale: 'en-US' | 'es-US', zone: string): string => {
  const key = `${locale}:${zone}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZone: zone, timeZoneName: 'short' });
    formats.set(key, f);
  }
  return f.format(at);
};
