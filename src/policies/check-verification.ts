import type { Db } from '../db/pool.js';

/**
 * Checks the entered verification factor against the record. Returns only
 * pass or fail: the entered value and the stored one never leave this function.
 */
export const checkVerification = async (
  db: Db,
  policyholderId: string,
  by: 'zip' | 'dob',
  entered: string,
): Promise<boolean> => {
  const { rows } = await db.query<{ zip: string | null; dob: string | null }>(
    `select zip, to_char(date_of_birth, 'MMDDYYYY') as dob from policyholders where id = $1`,
    [policyholderId],
  );
  const r = rows[0];
  if (!r) return false;
  const expected = by === 'zip' ? (r.zip ?? '').slice(0, 5) : (r.dob ?? '');
  return expected.length > 0 && entered === expected;
};
