import { checkCsvHeader } from './check-csv-header.js';

/**
 * The columns of the failed-debit CSV (documented in docs/import.md): one row
 * is one failed collection of a premium due, as the insurer's billing saw it.
 */
export const FAILED_DEBIT_COLUMNS = [
  'debit_ref',
  'policy_number',
  'due_date',
  'amount',
  'currency',
  'failed_at',
  'method',
  'decline_code',
  'return_code',
  'reason',
] as const;

export type FailedDebitColumn = (typeof FAILED_DEBIT_COLUMNS)[number];

/** Columns that must be in the header (and non-blank on every row). */
export const REQUIRED_FAILED_DEBIT_COLUMNS: readonly FailedDebitColumn[] = [
  'debit_ref',
  'policy_number',
  'due_date',
  'amount',
  'failed_at',
  'method',
];

/** Checks a failed-debit header row and returns the column of each position (see checkCsvHeader). */
export const checkFailedDebitHeader = (cells: readonly string[]): FailedDebitColumn[] =>
  checkCsvHeader(cells, { known: FAILED_DEBIT_COLUMNS, required: REQUIRED_FAILED_DEBIT_COLUMNS, name: 'failed-debit CSV' });
