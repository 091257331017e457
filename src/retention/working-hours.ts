import { DateTime, Info } from 'luxon';
import { z } from 'zod';
import type { BusinessHours } from '../shared/business-hours.js';

/** Weekdays as working hours name them, Monday first (luxon's weekday is the index + 1). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A specialist's hours in their own zone: per weekday, windows ["HH:MM", "HH:MM"], the end exclusive,
 * "24:00" for the end of the day. A window does not cross midnight: a night shift is two windows,
 * one on each day (a window ending at 24:00 and one starting at 00:00 the next day join up).
 */
export type WorkingHours = Partial<Record<Weekday, [string, string][]>>;

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

const time = z.string({ error: 'a time must be text "HH:MM"' }).regex(HHMM, 'a time must be "HH:MM", 00:00 to 24:00');
const window = z.tuple([time, time], { error: 'a window must be ["HH:MM", "HH:MM"] (start, end)' })
  .refine(([from, to]) => minutesOf(to) > minutesOf(from), {
    message: 'a window must end after it starts (a window across midnight is two: one ending at 24:00, one starting at 00:00 the next day)',
  })
  .refine(([from]) => from !== '24:00', { message: 'a window cannot start at 24:00' });

/** The stored and API form of working hours, checked: weekdays as WEEKDAYS, each with at most 8 windows. */
export const workingHoursSchema = z.strictObject(
  Object.fromEntries(WEEKDAYS.map((d) => [d, z.array(window, { error: `${d} must be a list of windows` }).max(8, `${d} has more than 8 windows`).optional()])) as
    Record<Weekday, z.ZodOptional<z.ZodArray<typeof window>>>,
  {
    error: (iss) => iss.code === 'unrecognized_keys' ? `unknown weekday ${iss.keys.map((k) => JSON.stringify(k)).join(', ')} (weekdays are ${WEEKDAYS.join(', ')})`
      : iss.code === 'invalid_type' ? 'workingHours must be an object of weekdays (mon..sun) to windows, e.g. {"mon": [["09:00", "17:00"]]}' : undefined,
  },
).refine((h) => Object.values(h).some((w) => w && w.length > 0), { message: 'workingHours must open at least one window (null follows the business hours)' });

/** An IANA time zone luxon knows (America/Chicago), for clear refusals of anything else. */
export const isTimeZone = (zone: string): boolean => zone.length <= 64 && Info.isValidIANAZone(zone);

const dayIndex = (d: string): number => WEEKDAYS.indexOf(d.toLowerCase() as Weekday);

/**
 * Working hours from the CLI's text: `mon-fri 09:00-17:00; sat 10:00-12:00,13:00-15:00` (days: one, a
 * range or a comma list; windows comma-separated; groups separated by ';'). Returns the reason on anything unclear.
 */
export const parseHoursText = (text: string): { hours: WorkingHours } | { error: string } => {
  const hours: WorkingHours = {};
  const groups = text.split(';').map((g) => g.trim()).filter(Boolean);
  if (groups.length === 0) return { error: 'no hours given (e.g. "mon-fri 09:00-17:00")' };
  for (const g of groups) {
    const m = /^([a-z,-]+)\s+([\d:,\s-]+)$/i.exec(g);
    if (!m) return { error: `"${g}": expected days then windows, e.g. "mon-fri 09:00-17:00"` };
    const days: Weekday[] = [];
    for (const part of m[1]!.split(',')) {
      const [a, b] = part.split('-');
      const from = dayIndex(a ?? '');
      const to = b === undefined ? from : dayIndex(b);
      if (from < 0 || to < 0) return { error: `"${part}": days are ${WEEKDAYS.join(', ')}` };
      if (to < from) return { error: `"${part}": days run backwards (write "mon-fri", or "fri-sun"; weeks start on Monday)` };
      for (let i = from; i <= to; i++) days.push(WEEKDAYS[i]!);
    }
    for (const w of m[2]!.split(',').map((s) => s.trim())) {
      const [from, to, extra] = w.split('-').map((s) => s.trim());
      const parsed = window.safeParse([from, to]);
      if (extra !== undefined || !parsed.success) return { error: `"${w}": ${parsed.success ? 'expected one window "HH:MM-HH:MM"' : parsed.error.issues[0]!.message}` };
      for (const d of days) (hours[d] ??= []).push(parsed.data);
    }
  }
  return { hours };
};

/** Working hours as business hours in `zone`, so one check (isOpen) serves both. */
export const toBusinessHours = (hours: WorkingHours, zone: string): BusinessHours => ({
  zone,
  windows: WEEKDAYS.flatMap((d, i) => (hours[d] ?? []).map(([from, to]) => ({ days: [i + 1], open: minutesOf(from), close: minutesOf(to) }))),
});

/**
 * The first moment after `now` at which `h` opens from closed (a window starting where another, or the
 * day before's 24:00, ends is not an opening), within the next 8 days; null when `h` has no windows.
 * Computed in h's zone with set({hour, minute}) (DST-safe: a start skipped by a spring-forward moves to the hour after).
 */
export const nextOpening = (h: BusinessHours, now: Date): Date | null => {
  const today = DateTime.fromJSDate(now).setZone(h.zone).startOf('day');
  const closesAt = (weekday: number, minute: number) => h.windows.some((w) => w.days.includes(weekday) && w.close === minute);
  const opensInside = (weekday: number, minute: number) => h.windows.some((w) => w.days.includes(weekday) && w.open < minute && minute < w.close);
  for (let d = 0; d <= 8; d++) {
    const day = today.plus({ days: d });
    const starts = h.windows.filter((w) => w.days.includes(day.weekday)).map((w) => w.open).sort((a, b) => a - b);
    for (const open of starts) {
      const prevWeekday = ((day.weekday + 5) % 7) + 1;
      const continues = open === 0 ? closesAt(prevWeekday, 1440) : closesAt(day.weekday, open) || opensInside(day.weekday, open);
      if (continues) continue;
      const at = day.set({ hour: Math.floor(open / 60), minute: open % 60 });
      if (at.toMillis() > now.getTime()) return at.toJSDate();
    }
  }
  return null;
};

/** Hours as the CLI's text (parseHoursText reads it back): consecutive days with the same windows as a range. */
export const formatHoursText = (hours: WorkingHours): string => {
  const windowsOf = (d: Weekday) => (hours[d] ?? []).map(([a, b]) => `${a}-${b}`).join(',');
  const groups: string[] = [];
  for (let i = 0; i < WEEKDAYS.length; i++) {
    const w = windowsOf(WEEKDAYS[i]!);
    if (!w) continue;
    let j = i;
    while (j + 1 < WEEKDAYS.length && windowsOf(WEEKDAYS[j + 1]!) === w) j++;
    groups.push(`${WEEKDAYS[i]}${j > i ? `-${WEEKDAYS[j]}` : ''} ${w}`);
    i = j;
  }
  return groups.join('; ');
};
