import type { Queryable } from '../db/pool.js';

/** A policyholder as a specialist's work list shows them: their name and the number to call. */
export type HolderContact = { id: string; name: string; phone: string | null };

/**
 * The names and preferred numbers (mobile first, else the lowest) of these policyholders, in one
 * query; unknown ids are left out, an empty list reads nothing.
 */
export const findHolderContacts = async (db: Queryable, ids: readonly string[]): Promise<HolderContact[]> => {
  if (ids.length === 0) return [];
  return (await db.query<HolderContact>(
    `select h.id, concat_ws(' ', h.first_name, h.last_name) as name,
            (select p.phone_e164 from policyholder_phones p where p.policyholder_id = h.id order by p.label = 'mobile' desc, p.phone_e164 limit 1) as phone
       from policyholders h where h.id = any($1::uuid[]) order by h.id`,
    [ids],
  )).rows;
};
