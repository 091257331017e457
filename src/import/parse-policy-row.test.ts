import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePolicyRow, type RawPolicyRecord } from './parse-policy-row.js';
import { checkHeader, POLICY_COLUMNS } from './policy-csv-columns.js';

const now = new Date('2026-11-23T12:00:00Z');

const valid: RawPolicyRecord = {
  customer_id: 'C-1001',
  first_name: ' Maria ',
  last_name: 'Gonzalez',
  email: 'maria@example.com',
  phone: '(202) 555-0143',
  phone2: '202.555.0144',
  locale: 'es-US',
  time_zone: 'America/Chicago',
  preferred_channel: 'SMS',
  date_of_birth: '1984-02-29',
  zip: '2134',
  sms_consent: 'yes',
  voice_consent: '',
  consent_source: 'web-form',
  consent_at: '2026-03-01T09:30:00',
  policy_number: 'HM-000123',
  product: 'term-life',
  coverage_tier: 'gold',
  sum_insured: '$250,000.00',
  premium: '42.5',
  currency: '',
  billing_frequency: 'Monthly',
  next_due_date: '2026-12-01',
  paid_to_date: '2026-11-01',
  status: 'Grace',
};

const reasonsOf = (raw: RawPolicyRecord) => {
  const r = parsePolicyRow(raw, { now });
  assert.equal(r.ok, false, 'expected the row to be rejected');
  return r.ok ? [] : r.reasons;
};

test('a valid row is normalised: E.164 phones, cents, dates, consent time in the holder zone', () => {
  const r = parsePolicyRow(valid, { now });
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.row, {
    customerId: 'C-1001',
    firstName: 'Maria',
    lastName: 'Gonzalez',
    email: 'maria@example.com',
    phones: [
      { e164: '+12025550143', label: 'mobile' },
      { e164: '+12025550144', label: 'alternate' },
    ],
    locale: 'es-US',
    timeZone: 'America/Chicago',
    preferredChannel: 'sms',
    dateOfBirth: '1984-02-29',
    zip: '02134',
    smsConsent: true,
    voiceConsent: null,
    consentSource: 'import:web-form',
    consentAt: new Date('2026-03-01T15:30:00Z'),
    policyNumber: 'HM-000123',
    product: 'term-life',
    coverageTier: 'gold',
    sumInsuredCents: 25_000_000,
    premiumCents: 4250,
    currency: 'usd',
    billingFrequency: 'monthly',
    nextDueDate: '2026-12-01',
    paidToDate: '2026-11-01',
    status: 'grace',
  });
});

test('optional columns may be absent: defaults apply', () => {
  const minimal: RawPolicyRecord = {
    customer_id: 'C-2',
    first_name: 'Ann',
    last_name: 'Lee',
    phone: '+1 415 555 0199',
    policy_number: 'P-2',
    product: 'auto',
    coverage_tier: 'basic',
    sum_insured: '10000',
    premium: '0',
    billing_frequency: 'annual',
    status: 'active',
  };
  const r = parsePolicyRow(minimal, { now });
  assert.ok(r.ok);
  assert.equal(r.row.locale, 'en-US');
  assert.equal(r.row.timeZone, null);
  assert.equal(r.row.preferredChannel, 'sms');
  assert.equal(r.row.smsConsent, null);
  assert.equal(r.row.consentAt, null);
  assert.equal(r.row.consentSource, 'import');
  assert.equal(r.row.currency, 'usd');
  assert.equal(r.row.nextDueDate, null);
  assert.deepEqual(r.row.phones, [{ e164: '+14155550199', label: 'mobile' }]);
});

test('each bad field is named with its reason', () => {
  assert.deepEqual(reasonsOf({ ...valid, phone: '555-12' }), ['phone: "555-12" is not a valid phone number']);
  assert.deepEqual(reasonsOf({ ...valid, next_due_date: '2026-02-30' }), [
    'next_due_date: "2026-02-30" is not a date in YYYY-MM-DD form',
  ]);
  assert.deepEqual(reasonsOf({ ...valid, date_of_birth: '03/04/1980' }), [
    'date_of_birth: "03/04/1980" is not a date in YYYY-MM-DD form',
  ]);
  assert.deepEqual(reasonsOf({ ...valid, status: 'frozen' }), [
    'status: "frozen" is not active, grace, cancelled, lapsed or reinstated',
  ]);
  assert.deepEqual(reasonsOf({ ...valid, premium: '-12.00' }), ['premium: "-12.00" must not be negative']);
  assert.deepEqual(reasonsOf({ ...valid, sum_insured: '12.345' }), [
    'sum_insured: "12.345" is not an amount in dollars (e.g. 1234.56)',
  ]);
  assert.deepEqual(reasonsOf({ ...valid, time_zone: 'Mars/Olympus' }), [
    'time_zone: "Mars/Olympus" is not an IANA time zone (e.g. America/Chicago)',
  ]);
  assert.deepEqual(reasonsOf({ ...valid, sms_consent: 'maybe' }), ['sms_consent: "maybe" is not yes, no or blank']);
  assert.deepEqual(reasonsOf({ ...valid, email: 'not-an-email' }), ['email: is not an email address']);
  assert.deepEqual(reasonsOf({ ...valid, consent_at: '2027-01-01T00:00:00Z' }), [
    'consent_at: "2027-01-01T00:00:00Z" is in the future',
  ]);
});

test('missing required fields are all reported at once', () => {
  assert.deepEqual(reasonsOf({ ...valid, first_name: '  ', policy_number: undefined, premium: '' }), [
    'first_name: is required',
    'policy_number: is required',
    'premium: is required',
  ]);
});

test('header: lenient spelling accepted, unknown and missing columns named in one error', () => {
  assert.deepEqual(checkHeader(POLICY_COLUMNS.map((c) => c.toUpperCase().replace('_', ' '))), [...POLICY_COLUMNS]);
  assert.throws(
    () => checkHeader(['customer_id', 'first_name', 'surname', 'phone']),
    (e: Error & { code?: string }) =>
      e.code === 'IMPORT_BAD_FILE' &&
      /unknown column\(s\): "surname"/.test(e.message) &&
      /missing required column\(s\): last_name, policy_number, product/.test(e.message),
  );
});
