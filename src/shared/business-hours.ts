import { DateTime, Info } from 'luxon';
import { toSupportedLocale } from './webhook-edge/supported-locale.js';

/**
 * When people answer the phones, in the insurer's time zone. Written in
 * configuration as `ZONE Mon-Fri 08:00-20:00; Sat 09:00-13:00` (BUSINESS_HOURS).
 * Self-service runs 24/7; only options that need a person follow these.
 */
export type BusinessHours = {
  zone: string;
  /** ISO weekdays 1 (Monday) to 7; minutes after midnight, close exclusive. */
  windows: { days: number[]; open: number; close: number }[];
};

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const dayIndex = (d: string): number => {
  const i = DAYS.indexOf(d.slice(0, 3).toLowerCase());
  if (i < 0) throw new Error(`unknown weekday "${d}"`);
  return i + 1;
};

const minutes = (hhmm: string): number => {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m || Number(m[1]) > 24 || Number(m[2]) > 59) throw new Error(`bad time "${hhmm}"`);
  return Number(m[1]) * 60 + Number(m[2]);
};

/** Parses the configuration text; throws with the reason on anything unclear. */
export const parseBusinessHours = (text: string): BusinessHours => {
  const [zone, ...rest] = text.trim().split(/\s+/);
  if (!zone || !DateTime.now().setZone(zone).isValid) throw new Error(`unknown time zone "${zone ?? ''}"`);
  const windows = rest
    .join(' ')
    .split(';')
    .map((w) => w.trim())
    .filter(Boolean)
    .map((w) => {
      const m = /^([A-Za-z]{3})(?:-([A-Za-z]{3}))?\s+(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(w);
      if (!m) throw new Error(`bad hours "${w}" (expected e.g. "Mon-Fri 08:00-20:00")`);
      const from = dayIndex(m[1]!);
      const to = m[2] ? dayIndex(m[2]) : from;
      if (to < from) throw new Error(`days run backwards in "${w}"`);
      const open = minutes(m[3]!);
      const close = minutes(m[4]!);
      if (close <= open) throw new Error(`closing is not after opening in "${w}"`);
      return { days: Array.from({ length: to - from + 1 }, (_, i) => from + i), open, close };
    });
  if (windows.length === 0) throw new Error('no opening hours given');
  return { zone, windows };
};

export const isOpen = (h: BusinessHours, at: Date): boolean => {
  const t = DateTime.fromJSDate(at).setZone(h.zone);
  const m = t.hour * 60 + t.minute;
  return h.windows.some((w) => w.days.includes(t.weekday) && m >= w.open && m < w.close);
};

/**
 * "Monday to Friday, 8:00 AM to 8:00 PM; Saturday, 9:00 AM to 1:00 PM (Eastern Time)" in the caller's
 * language; a whole day reads "around the clock", the whole week "every day".
 */
export const describeHours = (h: BusinessHours, locale: string): string => {
  const dayNames = Info.weekdays('long', { locale });
  const time = (mins: number) =>
    DateTime.fromObject({ hour: Math.floor(mins / 60) % 24, minute: mins % 60 }, { locale }).toLocaleString(DateTime.TIME_SIMPLE);
  const es = toSupportedLocale(locale) === 'es-US';
  const to = es ? ' a ' : ' to ';
  const parts = h.windows.map((w) => {
    const first = dayNames[w.days[0]! - 1]!;
    const last = dayNames[w.days[w.days.length - 1]! - 1]!;
    // why: a window from 00:00 to 24:00 would read "12:00 AM to 12:00 AM"; say what it means.
    const days = w.days.length === 7 ? (es ? 'todos los días' : 'every day') : w.days.length > 1 ? `${first}${to}${last}` : first;
    const hours = w.open === 0 && w.close === 24 * 60 ? (es ? 'las 24 horas' : 'around the clock') : `${time(w.open)}${to}${time(w.close)}`;
    return `${days}, ${hours}`;
  });
  const zoneName = DateTime.now().setZone(h.zone).setLocale(locale).toFormat('ZZZZZ');
  return `${parts.join('; ')} (${zoneName})`;
};
