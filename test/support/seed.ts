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
