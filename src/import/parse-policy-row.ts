import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { blankToUndefined, currencyCode, isoDate, money, oneOf, optional, required, str } from './csv-cell-schemas.js';
import type { PolicyColumn } from './policy-csv-columns.js';

/** A CSV record keyed by column name; absent optional columns are simply missing. */
export type RawPolicyRecord = Partial<Record<PolicyColumn, string>>;

export type PolicyStatus = 'active' | 'grace' | 'cancelled' | 'lapsed' | 'reinstated';

/** One validated CSV row, normalised to what the database stores. */
export type PolicyRow = {
  customerId: string;
  firstName: string;
  lastName: string;
  email: string | null;
  /** E.164, primary first; consent columns apply to the first one only. */
  phones: { e164: string; label: 'mobile' | 'alternate' }[];
  locale: 'en-US' | 'es-US';
  /** Null when the file gave none: quiet hours then follow the number's area code. */
  timeZone: string | null;
  preferredChannel: 'sms' | 'voice' | 'email';
  dateOfBirth: string | null;
  zip: string | null;
  /** null = the CSV says nothing (blank): stored consent is left as it is. */
  smsConsent: boolean | null;
  voiceConsent: boolean | null;
  consentSource: string;
  /** When the consent was given or revoked; null = not stated in the file. */
  consentAt: Date | null;
  policyNumber: string;
  product: string;
  coverageTier: string;
  sumInsuredCents: number;
  premiumCents: number;
  currency: string;
  billingFrequency: 'monthly' | 'quarterly' | 'semiannual' | 'annual';
  nextDueDate: string | null;
  paidToDate: string | null;
  status: PolicyStatus;
};

export type ParsePolicyRowResult = { ok: true; row: PolicyRow } | { ok: false; reasons: string[] };

const phone = str().transform((v, ctx) => {
  // why: default region US so "(202) 555-0143" and "202.555.0143" parse; "+44 ..." still works.
  const p = parsePhoneNumberFromString(v, 'US');
  if (!p || !p.isValid()) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a valid phone number` });
    return z.NEVER;
  }
  return p.number;
});

// why: luxon checks a zone by building an Intl.DateTimeFormat (~50 µs); an import sees a handful of zones.
const zoneValidity = new Map<string, boolean>();
const isValidZone = (zone: string) => {
  let ok = zoneValidity.get(zone);
  if (ok === undefined) zoneValidity.set(zone, (ok = IANAZone.isValidZone(zone)));
  return ok;
};

const timeZone = str().transform((v, ctx) => {
  const s = v.trim();
  if (!isValidZone(s)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not an IANA time zone (e.g. America/Chicago)` });
    return z.NEVER;
  }
  return s;
});

const zip = str().transform((v, ctx) => {
  const s = v.trim();
  // why: spreadsheets store ZIPs as numbers and drop leading zeros (02134 -> 2134).
  const padded = /^\d{3,4}$/.test(s) ? s.padStart(5, '0') : s;
  if (!/^\d{5}(-\d{4})?$/.test(padded)) {
    ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a US ZIP code` });
    return z.NEVER;
  }
  return padded;
});

const yesNo = oneOf('yes, no or blank', { yes: true, y: true, true: true, no: false, n: false, false: false });

const rowSchema = z.object({
  customer_id: required(64),
  first_name: required(),
  last_name: required(),
  email: optional(z.string().trim().pipe(z.email('is not an email address'))),
  phone: z.preprocess(blankToUndefined, phone),
  phone2: optional(phone),
  locale: optional(oneOf('en-US or es-US', { 'en-us': 'en-US', en: 'en-US', en_us: 'en-US', 'es-us': 'es-US', es: 'es-US', es_us: 'es-US' } as const)),
  time_zone: optional(timeZone),
  preferred_channel: optional(oneOf('sms, voice or email', { sms: 'sms', text: 'sms', voice: 'voice', call: 'voice', phone: 'voice', email: 'email' } as const)),
  date_of_birth: optional(isoDate),
  zip: optional(zip),
  sms_consent: optional(yesNo),
  voice_consent: optional(yesNo),
  consent_source: optional(z.string().trim().max(60, 'is longer than 60 characters')),
  consent_at: optional(z.string().trim()),
  policy_number: required(64),
  product: required(),
  coverage_tier: required(),
  sum_insured: z.preprocess(blankToUndefined, money),
  premium: z.preprocess(blankToUndefined, money),
  currency: optional(currencyCode),
  billing_frequency: z.preprocess(
    blankToUndefined,
    oneOf('monthly, quarterly, semiannual or annual', {
      monthly: 'monthly', quarterly: 'quarterly', semiannual: 'semiannual', 'semi-annual': 'semiannual',
      annual: 'annual', annually: 'annual', yearly: 'annual',
    } as const),
  ),
  next_due_date: optional(isoDate),
  paid_to_date: optional(isoDate),
  status: z.preprocess(
    blankToUndefined,
    oneOf('active, grace, cancelled, lapsed or reinstated', {
      active: 'active', grace: 'grace', cancelled: 'cancelled', canceled: 'cancelled', lapsed: 'lapsed', reinstated: 'reinstated',
    } as const),
  ),
});

/**
 * `consent_at` is ISO 8601; without an offset it is read in the holder's own
 * time zone (that is how a form's timestamp reads). A future time is refused:
 * consent we are told about cannot postdate the import.
 */
const HAS_OFFSET = /T.*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$/;
const parseConsentAt = (v: string, zone: string, now: Date): Date | string => {
  // why: with an offset in the text, `setZone` skips luxon's named-zone offset
  // lookup (Intl), the costliest step of validating a row.
  const dt = HAS_OFFSET.test(v) ? DateTime.fromISO(v, { setZone: true }) : DateTime.fromISO(v, { zone });
  if (!dt.isValid) return `${JSON.stringify(v)} is not an ISO 8601 date-time (e.g. 2026-03-01T14:30:00-05:00)`;
  if (dt.toMillis() > now.getTime()) return `${JSON.stringify(v)} is in the future`;
  return dt.toJSDate();
};

/**
 * Validates one CSV record and normalises it (E.164 phones, integer cents,
 * YYYY-MM-DD dates). Pure: `now` is only used to refuse a future `consent_at`.
 * Returns every problem of the row, each as "column: reason".
 */
export const parsePolicyRow = (raw: RawPolicyRecord, { now }: { now: Date }): ParsePolicyRowResult => {
  const parsed = rowSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reasons: parsed.error.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`) };
  }
  const r = parsed.data;
  let consentAt: Date | null = null;
  if (r.consent_at !== undefined) {
    // why: a consent time without an offset is read in the holder's zone, else Eastern (documented in docs/import.md).
    const at = parseConsentAt(r.consent_at, r.time_zone ?? 'America/New_York', now);
    if (typeof at === 'string') return { ok: false, reasons: [`consent_at: ${at}`] };
    consentAt = at;
  }
  const phones: PolicyRow['phones'] = [{ e164: r.phone, label: 'mobile' }];
  if (r.phone2 !== undefined && r.phone2 !== r.phone) phones.push({ e164: r.phone2, label: 'alternate' });
  return {
    ok: true,
    row: {
      customerId: r.customer_id,
      firstName: r.first_name,
      lastName: r.last_name,
      email: r.email ?? null,
      phones,
      locale: r.locale ?? 'en-US',
      timeZone: r.time_zone ?? null,
      preferredChannel: r.preferred_channel ?? 'sms',
      dateOfBirth: r.date_of_birth ?? null,
      zip: r.zip ?? null,
      smsConsent: r.sms_consent ?? null,
      voiceConsent: r.voice_consent ?? null,
      // why: a consent row names where it came from; everything from a CSV is "import", refined by the file.
      consentSource: r.consent_source ? `import:${r.consent_source}` : 'import',
      consentAt,
      policyNumber: r.policy_number,
      product: r.product,
      coverageTier: r.coverage_tier,
      sumInsuredCents: r.sum_insured,
      premiumCents: r.premium,
      currency: r.currency ?? 'usd',
      billingFrequency: r.billing_frequency,
      nextDueDate: r.next_due_date ?? null,
      paidToDate: r.paid_to_date ?? null,
      status: r.status,
    },
  };
};
