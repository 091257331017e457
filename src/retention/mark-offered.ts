import type { Queryable } from '../db/pool.js';

/**
 * Records that a transfer rang this specialist at `at`, for fair rotation (pickSpecialists rings the one
 * offered longest ago first). An older `at` than the one stored does not move it back. False: no such specialist.
 */
export const markOffered = async (db: Queryable, id: string, at: Date): Promise<boolean> => {
  const r = await db.query(
    `update retention_specialists set last_offered_at = greatest(coalesce(last_offered_at, $2), $2) where id = $1`, [id, at]);
  return r.rowCount === 1;
};
