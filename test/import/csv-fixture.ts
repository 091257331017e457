import { Readable } from 'node:stream';
import { POLICY_COLUMNS, type PolicyColumn } from '../../src/import/policy-csv-columns.js';

/** A valid row; tests override the cells they care about. */
export const baseRow = (n: number): Record<PolicyColumn, string> => ({
  customer_id: `T-${n}`,
  first_name: `First${n}`,
  last_name: `Last${n}`,
  email: `t${n}@example.com`,
  phone: `+1202555${String(100 + (n % 100)).padStart(4, '0')}`,
  phone2: '',
  locale: 'en-US',
  time_zone: 'America/New_York',
  preferred_channel: 'sms',
  date_of_birth: '1980-01-01',
  zip: '20003',
  sms_consent: 'yes',
  voice_consent: '',
  consent_source: '',
  consent_at: '',
  policy_number: `TP-${n}`,
  product: 'term-life',
  coverage_tier: 'standard',
  sum_insured: '100000.00',
  premium: '25.00',
  currency: 'usd',
  billing_frequency: 'monthly',
  next_due_date: '2026-12-01',
  paid_to_date: '2026-11-01',
  status: 'active',
});

const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** CSV text with the full documented header, one line per row. */
export const csvOf = (rows: Record<PolicyColumn, string>[], columns: readonly string[] = POLICY_COLUMNS) =>
  [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c as PolicyColumn] ?? '')).join(','))].join('\n') +
  '\n';

export const streamOf = (text: string) => Readable.from([Buffer.from(text)]);
