import type { Queryable } from '../db/pool.js';

/** Whether any policyholder is stored (a database loaded with real data is never seeded with demo data). */
export const hasPolicyholders = async (db: Queryable): Promise<boolean> =>
  (await db.query<{ any: boolean }>('select exists (select 1 from policyholders) as any')).rows[0]?.any === true;
