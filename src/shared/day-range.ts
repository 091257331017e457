import { z } from 'zod';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'must be a real date');

/** `?from=YYYY-MM-DD&to=YYYY-MM-DD`, both optional: a report's window in UTC days. */
export const dayRangeQuery = z.strictObject({ from: day.optional(), to: day.optional() });

/**
 * The window [from, to) of a report: from the start of `from` (default `defaultDays` before `to`) to
 * the end of `to` (default now); null when it is empty (from not before to).
 */
export const resolveDayRange = (q: z.infer<typeof dayRangeQuery>, now: Date, defaultDays: number): { from: Date; to: Date } | null => {
  const to = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) : now;
  const from = q.from ? new Date(`${q.from}T00:00:00Z`) : new Date(to.getTime() - defaultDays * 86_400_000);
  return from < to ? { from, to } : null;
};
