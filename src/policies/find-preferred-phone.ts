import type { Queryable } from '../db/pool.js';

/** The number to text a policyholder at: their mobile first, else their lowest number; null when they have none. */
export const findPreferredPhone = async (db: Queryable, policyholderId: string): Promise<string | null> =>
  (await db.query<{ phone_e164: string }>(
    `select phone_e164 from policyholder_phones where policyholder_id = $1 order by label = 'mobile' desc, phone_e164 limit 1`,
    [policyholderId],
  )).rows[0]?.phone_e164 ?? null;
