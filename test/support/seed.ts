import type { Db } from '../../src/db/pool.js';
import { newId } from '../../src/shared/ids.js';

export type SeededHolder = { policyholderId: string; policyId: string; policyNumber: string; phone: string };

/** Inserts one policyholder with a phone and an active policy; returns their ids. */
export const seedPolicyholder = async (
  db: Db,
  o: { firstName: string; phone: string; policyNumber: string; locale?: string; zip?: string; dob?: string; premiumCents?: number },
): Promise<SeededHolder> => {
  const policyholderId = newId();
  const policyId = newId();
  await db.query(
    `insert into policyholders (id, external_ref, first_name, last_name, locale, zip, date_of_birth)
     values ($1, $2, $3, 'Tester', $4, $5, $6)`,
    [policyholderId, `C-${policyId}`, o.firstName, o.locale ?? 'en-US', o.zip ?? '20500', o.dob ?? '1980-04-12'],
  );
  await db.query('insert into policyholder_phones (policyholder_id, phone_e164) values ($1, $2)', [policyholderId, o.phone]);
  await db.query(
    `insert into policies (id, policy_number, policyholder_id, product, coverage_tier, sum_insured_cents, premium_cents,
                           billing_frequency, next_due_date, paid_to_date)
     values ($1, $2, $3, 'auto', 'standard', 2500000, $4, 'monthly', '2026-12-01', '2026-12-01')`,
    [policyId, o.policyNumber, policyholderId, o.premiumCents ?? 12_450],
  );
  return { policyholderId, policyId, policyNumber: o.policyNumber, phone: o.phone };
};

/** Adds a policy to an existing policyholder. */
export const seedPolicy = async (db: Db, policyholderId: string, policyNumber: string, premiumCents = 9_675): Promise<string> => {
  const policyId = newId();
  await db.query(
    `insert into policies (id, policy_number, policyholder_id, product, coverage_tier, sum_insured_cents, premium_cents,
                           billing_frequency, next_due_date, paid_to_date)
     values ($1, $2, $3, 'homeowners', 'plus', 42000000, $4, 'monthly', '2026-12-05', '2026-12-05')`,
    [policyId, policyNumber, policyholderId, premiumCents],
  );
  return policyId;
};

/** An open premium due for a policy. */
export const seedDue = async (db: Db, policyId: string, amountCents: number, dueDate = '2026-12-01'): Promise<string> => {
  const id = newId();
  await db.query(`insert into premium_dues (id, policy_id, due_date, amount_cents) values ($1, $2, $3, $4)`, [id, policyId, dueDate, amountCents]);
  return id;
};

/** A saved card (provider reference, brand and last four only). */
export const seedCard = async (db: Db, policyholderId: string, paymentMethodId = 'pm_card_visa', last4 = '4242'): Promise<void> => {
  await db.query(
    `insert into payment_methods (id, policyholder_id, provider_customer_id, provider_payment_method_id, brand, last4, is_default)
     values ($1, $2, 'cus_test', $3, 'visa', $4, true)`,
    [newId(), policyholderId, paymentMethodId, last4],
  );
};

/** Consent to texts for a number. */
export const seedSmsConsent = async (db: Db, phone: string): Promise<void> => {
  await db.query(
    `insert into consents (phone_e164, channel, granted, source, recorded_at) values ($1, 'sms', true, 'test', now())
     on conflict (phone_e164, channel) do update set granted = true`,
    [phone],
  );
};

/**
 * A retention specialist, available now, speaking `languages` (English by default), with the gateway's
 * business hours unless `alwaysOn` (around the clock in New York).
 */
export const seedSpecialist = async (
  db: Db, o: { name: string; phone: string; languages?: ('en-US' | 'es-US')[]; alwaysOn?: boolean; availability?: 'available' | 'busy' | 'away' },
): Promise<string> => {
  const id = newId();
  const hours = o.alwaysOn ? JSON.stringify({ mon: [['00:00', '24:00']], tue: [['00:00', '24:00']], wed: [['00:00', '24:00']], thu: [['00:00', '24:00']], fri: [['00:00', '24:00']], sat: [['00:00', '24:00']], sun: [['00:00', '24:00']] }) : null;
  await db.query(
    `insert into retention_specialists (id, name, phone_e164, languages, time_zone, working_hours, availability, created_at)
     values ($1, $2, $3, $4, 'America/New_York', $5, $6, now())`,
    [id, o.name, o.phone, o.languages ?? ['en-US'], hours, o.availability ?? 'available'],
  );
  return id;
};
