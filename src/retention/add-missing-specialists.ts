import type { Queryable } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import type { NewSpecialist } from './specialist-input.js';

/**
 * Adds each specialist unless one with the same phone number is registered already (demo data:
 * idempotent across restarts, and a demo specialist an operator changed since is left as it is).
 * The specialists are trusted input (checked by newSpecialistSchema where they come from people).
 * Returns how many were added.
 */
export const addMissingSpecialists = async (
  db: Queryable, clock: Clock, specialists: readonly (NewSpecialist & { timeZone: string })[],
): Promise<number> => {
  let added = 0;
  for (const s of specialists) {
    const r = await db.query(
      `insert into retention_specialists (id, name, phone_e164, email, skills, languages, time_zone, working_hours, availability, availability_changed_at, created_at)
       select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10 where not exists (select 1 from retention_specialists where phone_e164 = $3)`,
      [newId(), s.name, s.phone, s.email ?? null, s.skills ?? [], s.languages, s.timeZone,
        s.workingHours ? JSON.stringify(s.workingHours) : null, s.availability ?? 'away', clock.now()],
    );
    added += r.rowCount ?? 0;
  }
  return added;
};
