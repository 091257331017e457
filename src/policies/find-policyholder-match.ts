import type { Db } from '../db/pool.js';
import { toSupportedLocale, type SupportedLocale } from '../shared/webhook-edge/supported-locale.js';

/** A policyholder as a caller or texter is matched to one: never verification values. */
export type PolicyholderMatch = {
  policyholderId: string;
  firstName: string;
  locale: SupportedLocale;
  policies: { policyId: string; policyNumber: string; status: string }[];
  /** The policy whose number was given (matched by policy number). */
  policyGiven?: string;
  /** Which factor verifies this person when not matched by their phone number. */
  verifyBy?: 'zip' | 'dob';
};

type Row = { id: string; first_name: string; locale: string; policies: PolicyholderMatch['policies']; zip: boolean };

const SELECT = `
  select ph.id, ph.first_name, ph.locale, (ph.zip is not null) as zip,
         coalesce(json_agg(json_build_object('policyId', p.id, 'policyNumber', p.policy_number, 'status', p.status)
                  order by p.policy_number) filter (where p.id is not null), '[]') as policies
    from policyholders ph left join policies p on p.policyholder_id = ph.id`;

const toMatch = (r: Row): PolicyholderMatch => ({
  policyholderId: r.id,
  firstName: r.first_name,
  locale: toSupportedLocale(r.locale),
  policies: r.policies,
  verifyBy: r.zip ? 'zip' : 'dob',
});

/**
 * For each caller ID (E.164), the policyholder whose phone it is; absent when
 * none or several share it (then we ask). One query for many concurrent calls.
 */
export const findPolicyholdersByPhones = async (db: Db, phones: string[]): Promise<Map<string, PolicyholderMatch>> => {
  const { rows } = await db.query<Row & { phone: string }>(
    `select x.phone, m.* from unnest($1::text[]) x(phone), lateral (
       ${SELECT} where ph.id in (select policyholder_id from policyholder_phones where phone_e164 = x.phone)
        group by ph.id limit 2) m`,
    [phones],
  );
  const byPhone = new Map<string, Row[]>();
  for (const r of rows) byPhone.set(r.phone, [...(byPhone.get(r.phone) ?? []), r]);
  const found = new Map<string, PolicyholderMatch>();
  for (const [phone, holders] of byPhone) if (holders.length === 1) found.set(phone, toMatch(holders[0]!));
  return found;
};

/**
 * The policyholder owning a policy number, keyed (digits) or said (letters and
 * digits, compact: see ivr's readPolicyNumber), with that policy marked as the
 * one given.
 */
export const findPolicyholderByPolicyNumber = async (db: Db, entered: string): Promise<PolicyholderMatch | null> => {
  const compact = entered.toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (compact.length < 4 || compact.length > 32) return null;
  const matches = /^[0-9]+$/.test(compact)
    ? `regexp_replace(policy_number, '[^0-9]', '', 'g') = $1`
    : `regexp_replace(upper(policy_number), '[^A-Z0-9]', '', 'g') = $1`;
  const { rows } = await db.query<Row & { given: string | null }>(
    `select m.*, (select id from policies where policyholder_id = m.id and ${matches} order by policy_number limit 1) as given
       from (${SELECT} where ph.id in (select policyholder_id from policies where ${matches}) group by ph.id limit 2) m`,
    [compact],
  );
  return rows.length === 1 ? { ...toMatch(rows[0]!), policyGiven: rows[0]!.given ?? undefined } : null;
};
