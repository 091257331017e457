import type { Queryable } from '../db/pool.js';

/** A policy with what a notice about it needs of its holder: their language and the number to text. */
export type PolicyRecipient = {
  policyId: string;
  policyNumber: string;
  policyholderId: string;
  status: string;
  /** The holder's locale as stored ('en-US', 'es-US', 'es'...). */
  locale: string;
  /** Their mobile first, else their lowest number; null when they have none. */
  phone: string | null;
};

/**
 * The policies with any of these ids or numbers (exact), with their holder's locale and preferred
 * number, in one query whatever the count (an operator's batch of 10,000 is one round trip).
 */
export const findPolicyRecipients = async (
  db: Queryable,
  by: { ids?: readonly string[]; numbers?: readonly string[] },
): Promise<PolicyRecipient[]> => {
  const [ids, numbers] = [by.ids ?? [], by.numbers ?? []];
  if (ids.length + numbers.length === 0) return [];
  const { rows } = await db.query<PolicyRecipient>(
    `select p.id as "policyId", p.policy_number as "policyNumber", p.policyholder_id as "policyholderId", p.status,
            ph.locale, pp.phone_e164 as phone
       from policies p join policyholders ph on ph.id = p.policyholder_id
       left join lateral (select phone_e164 from policyholder_phones where policyholder_id = ph.id
                           order by label = 'mobile' desc, phone_e164 limit 1) pp on true
      where p.id = any($1::uuid[]) or p.policy_number = any($2::text[])`,
    [ids, numbers],
  );
  return rows;
};
