import type { Db } from '../../src/db/pool.js';

/** The id of the seeded policyholder `expr` (an SQL integer expression, 1..n). */
export const holderIdSql = (expr: string): string => `('00000000-0000-4000-8000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;
/** The id of the seeded policy `expr` (an SQL integer expression, 1..n). */
export const policyIdSql = (expr: string): string => `('00000000-0000-4000-9000-' || lpad(to_hex(${expr}), 12, '0'))::uuid`;

/**
 * Seeds `count` policyholders in New York in bulk (one statement per table): each with a phone that
 * agreed to texts, a monthly auto policy numbered `<prefix>-<i>` and one due of $124.50 on `dueDate`
 * (YYYY-MM-DD) whose id is `dueIdSql('i')` (random when not given).
 */
export const seedHolders = async (
  db: Db, o: { count: number; prefix: string; dueDate: string; dueIdSql?: (expr: string) => string },
): Promise<void> => {
  const { count, prefix } = o;
  await db.query(`insert into policyholders (id, external_ref, first_name, last_name, time_zone)
    select ${holderIdSql('i')}, '${prefix}' || i, 'Bench', '${prefix}', 'America/New_York' from generate_series(1, ${count}) i`);
  await db.query(`insert into policyholder_phones (policyholder_id, phone_e164)
    select ${holderIdSql('i')}, '+1' || (array['212','312','415','617'])[1 + i % 4] || lpad((2000000 + i / 4)::text, 7, '0') from generate_series(1, ${count}) i`);
  await db.query(`insert into consents (phone_e164, channel, granted, source, recorded_at, policyholder_id)
    select phone_e164, 'sms', true, 'bench', now(), policyholder_id from policyholder_phones`);
  await db.query(`insert into policies (id, policy_number, policyholder_id, product, coverage_tier, sum_insured_cents, premium_cents, billing_frequency)
    select ${policyIdSql('i')}, '${prefix}-' || i, ${holderIdSql('i')}, 'auto', 'standard', 2500000, 12450, 'monthly' from generate_series(1, ${count}) i`);
  await db.query(`insert into premium_dues (id, policy_id, due_date, amount_cents)
    select ${o.dueIdSql ? o.dueIdSql('i') : 'gen_random_uuid()'}, ${policyIdSql('i')}, '${o.dueDate}', 12450 from generate_series(1, ${count}) i`);
};
