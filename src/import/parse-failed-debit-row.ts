import { DateTime } from 'luxon';
import { z } from 'zod';
import type { ImportedFailure } from '../payments/record-imported-failure.js';
import { blankToUndefined, currencyCode, isoDate, money, oneOf, optional, required, str } from './csv-cell-schemas.js';
import type { FailedDebitColumn } from './failed-debit-csv-columns.js';

/** A failed-debit record keyed by column name (a CSV row, or a JSON row of the API); absent optional columns are missing. */
export type RawFailedDebitRecord = Partial<Record<FailedDebitColumn, string>>;

/**
 * One validated failed debit, normalised (integer cents, lower-case currency and
 * decline code, upper-case return code): what payments records (recordImportedFailure).
 */
export type FailedDebitRow = ImportedFailure;

export type ParseFailedDebitResult = { ok: true; row: FailedDebitRow } | { ok: false; reasons: string[] };

const HAS_OFFSET = /T.*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;

const rowSchema = z.object({
  debit_ref: required(100),
  policy_number: required(64),
  due_date: z.preprocess(blankToUndefined, isoDate),
  amount: z.preprocess(blankToUndefined, money.refine((c) => c > 0, 'must be more than zero')),
  currency: optional(currencyCode),
  // why: a failure time without an offset would be read in some zone we guess; billing systems export UTC or an offset.
  failed_at: z.preprocess(blankToUndefined, str().trim().regex(HAS_OFFSET, 'must be an ISO 8601 date-time with Z or an offset (e.g. 2026-12-01T09:30:00Z)')),
  method: z.preprocess(blankToUndefined, oneOf('card or bank', { card: 'card', bank: 'bank', ach: 'bank', 'direct-debit': 'bank', debit: 'bank' } as const)),
  decline_code: optional(z.string().trim().toLowerCase().regex(/^[a-z0-9_]{1,64}$/, 'is not a decline code (letters, digits and _, e.g. insufficient_funds)')),
  return_code: optional(z.string().trim().toUpperCase().regex(/^R\d{2}$/, 'is not a bank return code (R01 to R99)')),
  reason: optional(z.string().trim().max(500, 'is longer than 500 characters')),
});

/**
 * Validates one failed-debit record (docs/import.md) and normalises it. Pure:
 * `now` only refuses a `failed_at` in the future. Returns every problem of the
 * row, each as "column: reason". A row must say why it failed (a decline
 * code, a return code or a reason), and a return code only comes with a bank debit.
 */
export const parseFailedDebitRow = (raw: RawFailedDebitRecord, { now }: { now: Date }): ParseFailedDebitResult => {
  const parsed = rowSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reasons: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`) };
  }
  const r = parsed.data;
  const reasons: string[] = [];
  const at = DateTime.fromISO(r.failed_at, { setZone: true });
  if (!at.isValid) reasons.push(`failed_at: ${JSON.stringify(r.failed_at)} is not an ISO 8601 date-time`);
  else if (at.toMillis() > now.getTime()) reasons.push(`failed_at: ${JSON.stringify(r.failed_at)} is in the future`);
  if (!r.decline_code && !r.return_code && !r.reason) reasons.push('decline_code: give a decline_code, a return_code or a reason: why the debit failed');
  if (r.return_code && r.method !== 'bank') reasons.push(`return_code: ${r.return_code} is a bank return code but method is ${r.method}`);
  if (reasons.length) return { ok: false, reasons };
  return {
    ok: true,
    row: {
      debitRef: r.debit_ref,
      policyNumber: r.policy_number,
      dueDate: r.due_date,
      amountCents: r.amount,
      currency: r.currency ?? 'usd',
      failedAt: at.toJSDate(),
      method: r.method,
      declineCode: r.decline_code ?? null,
      returnCode: r.return_code ?? null,
      reason: r.reason ?? null,
    },
  };
};
