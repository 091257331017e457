import { AppError } from '../shared/app-error.js';

/**
 * The columns of the policy import CSV (documented in docs/import.md).
 * One row is one policy with its policyholder; a policyholder with several
 * policies appears on several rows with the same `customer_id`.
 */
export const POLICY_COLUMNS = [
  'customer_id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'phone2',
  'locale',
  'time_zone',
  'preferred_channel',
  'date_of_birth',
  'zip',
  'sms_consent',
  'voice_consent',
  'consent_source',
  'consent_at',
  'policy_number',
  'product',
  'coverage_tier',
  'sum_insured',
  'premium',
  'currency',
  'billing_frequency',
  'next_due_date',
  'paid_to_date',
  'status',
] as const;

export type PolicyColumn = (typeof POLICY_COLUMNS)[number];

/** Columns that must be in the header and non-blank on every row. */
export const REQUIRED_COLUMNS: readonly PolicyColumn[] = [
  'customer_id',
  'first_name',
  'last_name',
  'phone',
  'policy_number',
  'product',
  'coverage_tier',
  'sum_insured',
  'premium',
  'billing_frequency',
  'status',
];

const KNOWN = new Set<string>(POLICY_COLUMNS);

/**
 * Header cells are matched leniently: case, surrounding blanks and the
 * separator between words do not matter ("Customer ID" = "customer_id"),
 * because spreadsheets rewrite headers that way.
 */
export const normaliseHeaderCell = (cell: string): string =>
  cell
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_');

/**
 * Checks the header row and returns the column name for each position.
 * Throws `IMPORT_BAD_FILE` naming every unknown, duplicated or missing
 * required column, so the operator fixes the file in one go and nothing
 * is written from a file whose columns we would be guessing at.
 */
export const checkHeader = (cells: readonly string[]): PolicyColumn[] => {
  const names = cells.map(normaliseHeaderCell);
  const problems: string[] = [];
  const unknown = names.filter((n) => !KNOWN.has(n));
  if (unknown.length) problems.push(`unknown column(s): ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length) problems.push(`duplicated column(s): ${[...new Set(dupes)].join(', ')}`);
  const missing = REQUIRED_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length) problems.push(`missing required column(s): ${missing.join(', ')}`);
  if (problems.length) {
    throw new AppError(
      'IMPORT_BAD_FILE',
      `the header row is not the documented policy CSV header: ${problems.join('; ')} (see docs/import.md)`,
      { unknown, missing, duplicated: dupes },
    );
  }
  return names as PolicyColumn[];
};
