import { checkCsvHeader } from './check-csv-header.js';

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

/**
 * Checks the header row and returns the column name for each position.
 * Throws `IMPORT_BAD_FILE` naming every unknown, duplicated or missing
 * required column (see checkCsvHeader).
 */
export const checkHeader = (cells: readonly string[]): PolicyColumn[] =>
  checkCsvHeader(cells, { known: POLICY_COLUMNS, required: REQUIRED_COLUMNS, name: 'policy CSV' });
