import type { Queryable } from '../db/pool.js';
import type { Specialist } from './specialist.js';
import { SPECIALIST_COLUMNS, toSpecialist, type SpecialistRow } from './specialist-rows.js';

/** Every specialist (or only the active ones), by name: the registry is small, a team, not a table to page through. */
export const listSpecialists = async (db: Queryable, o: { activeOnly?: boolean } = {}): Promise<Specialist[]> => {
  const { rows } = await db.query<SpecialistRow>(
    `select ${SPECIALIST_COLUMNS} from retention_specialists ${o.activeOnly ? 'where active' : ''} order by name, id`);
  return rows.map(toSpecialist);
};
