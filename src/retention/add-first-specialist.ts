import type { Queryable } from '../db/pool.js';
import { newId } from '../shared/ids.js';

/** Adds a retention specialist only when there is none yet (demo data: idempotent across restarts). */
export const addFirstSpecialist = async (
  db: Queryable,
  s: { name: string; phone: string; email: string; skills: string[] },
): Promise<void> => {
  await db.query(
    `insert into retention_specialists (id, name, phone_e164, email, skills)
     select $1, $2, $3, $4, $5 where not exists (select 1 from retention_specialists)`,
    [newId(), s.name, s.phone, s.email, s.skills],
  );
};
