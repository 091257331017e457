import type { Queryable } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import type { Specialist } from './specialist.js';
import type { NewSpecialist } from './specialist-input.js';
import { SPECIALIST_COLUMNS, toSpecialist, type SpecialistRow } from './specialist-rows.js';

/**
 * Adds a specialist checked by newSpecialistSchema; `defaultZone` (the insurer's) when none is given.
 * Its availability (away unless given) counts as set now (availability_changed_at).
 */
export const createSpecialist = async (db: Queryable, clock: Clock, s: NewSpecialist, defaultZone: string): Promise<Specialist> => {
  const availability = s.availability ?? 'away';
  const { rows } = await db.query<SpecialistRow>(
    `insert into retention_specialists (id, name, phone_e164, email, skills, languages, time_zone, working_hours, availability, availability_changed_at, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) returning ${SPECIALIST_COLUMNS}`,
    [newId(), s.name, s.phone, s.email ?? null, s.skills ?? [], s.languages, s.timeZone ?? defaultZone,
      s.workingHours ? JSON.stringify(s.workingHours) : null, availability, clock.now()],
  );
  return toSpecialist(rows[0]!);
};
