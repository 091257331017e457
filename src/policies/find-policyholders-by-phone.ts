import type { Queryable } from '../db/pool.js';

/**
 * The policyholders whose number this is (E.164), at most `limit` of them (2 by default: enough to
 * tell one holder from several; null for all), in no particular order.
 */
export const findPolicyholdersByPhone = async (db: Queryable, phone: string, limit: number | null = 2): Promise<{ id: string; locale: string }[]> =>
  (await db.query<{ id: string; locale: string }>(
    `select ph.id, ph.locale from policyholder_phones pp join policyholders ph on ph.id = pp.policyholder_id
      where pp.phone_e164 = $1 limit $2`,
    [phone, limit],
  )).rows;
