import type { Queryable } from '../db/pool.js';

/** A policyholder's name as a specialist greets them, or null for an unknown id. */
export const findHolderName = async (db: Queryable, policyholderId: string): Promise<{ firstName: string; lastName: string } | null> =>
  (await db.query<{ firstName: string; lastName: string }>(
    'select first_name as "firstName", last_name as "lastName" from policyholders where id = $1', [policyholderId],
  )).rows[0] ?? null;
