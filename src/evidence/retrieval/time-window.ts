import { DateTime } from 'luxon';

/** Which end of a window a bound is: a date means its first millisecond as `from`, its last as `to`. */
export type BoundSide = 'from' | 'to';

const DATE_OR_DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * A window bound as people type it, the same in the API and the CLI: a date
 * (`2026-12-31`: that whole day in `zone`, so an end date is inclusive) or an
 * ISO 8601 date-time (with `Z` or an offset; without one, in `zone`). Returns
 * null for anything else, so callers can say what was wrong.
 */
export const parseBound = (text: string, side: BoundSide, zone: string): Date | null => {
  const t = text.trim();
  if (!DATE_OR_DATETIME.test(t)) return null;
  const d = DateTime.fromISO(t.replace(' ', 'T'), { zone, setZone: true });
  if (!d.isValid) return null;
  if (t.length > 10) return d.toJSDate();
  return (side === 'from' ? d.startOf('day') : d.endOf('day')).toJSDate();
};

/** Why a bound was refused, for a 400 or a CLI message. */
export const boundHint = (name: string, zone: string) =>
  `${name} must be a date (YYYY-MM-DD, a whole day in ${zone}) or an ISO 8601 date-time (e.g. 2026-11-01T09:30:00Z)`;
