import { z } from 'zod';

// Cell schemas shared by the CSV imports: every cell is a string, a blank one means "not given".

/** Blank cells and absent columns both mean "not given". */
export const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
// why: every CSV cell is a string, so the only non-string a schema meets is a blank (undefined).
/** A cell that must be given (a blank one reads "is required"). */
export const str = () => z.string({ error: 'is required' });
/** A non-blank, trimmed text of at most `max` characters. */
export const required = (max = 100) =>
  z.preprocess(blankToUndefined, str().trim().max(max, `is longer than ${max} characters`));
/** `schema`, or undefined for a blank cell. */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** Maps accepted spellings (lower case) to the stored value. */
export const oneOf = <V extends string | boolean>(label: string, map: Record<string, V>) =>
  str().transform((v, ctx) => {
    const hit = map[v.trim().toLowerCase()];
    if (hit === undefined) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not ${label}` });
      return z.NEVER;
    }
    return hit;
  });

/**
 * A real calendar day in YYYY-MM-DD form. why: plain Date.UTC arithmetic
 * rather than luxon here: it is 3 dates a row and luxon's ISO parser was a
 * third of the import's CPU; rolled-over days (Feb 30 -> Mar 2) are caught
 * by reading the parts back.
 */
const isCalendarDay = (s: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
};

/** A calendar day, YYYY-MM-DD. */
export const isoDate = str().transform((v, ctx) => {
  const s = v.trim();
  if (!isCalendarDay(s)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a date in YYYY-MM-DD form` });
    return z.NEVER;
  }
  return s;
});

const MONEY = /^\$?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;
/** Dollars with optional cents ("250000.00", "$1,234.5") to integer cents, without floating point. */
export const money = str().transform((v, ctx) => {
  const s = v.trim();
  if (/^-|^\$-/.test(s)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} must not be negative` });
    return z.NEVER;
  }
  const m = MONEY.exec(s);
  const cents = m ? Number(m[1]!.replace(/,/g, '')) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : NaN;
  if (!Number.isSafeInteger(cents)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not an amount in dollars (e.g. 1234.56)` });
    return z.NEVER;
  }
  return cents;
});

/** A 3-letter currency code, stored lower case. */
export const currencyCode = z.string().trim().toLowerCase().regex(/^[a-z]{3}$/, 'is not a 3-letter currency code');
