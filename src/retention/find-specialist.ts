import type { Queryable } from '../db/pool.js';
import type { Specialist } from './specialist.js';
import { SPECIALIST_COLUMNS, toSpecialist, type SpecialistRow } from './specialist-rows.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The specialist with this id, or null (also for a string that is not a UUID, which Postgres would refuse). */
export const findSpecialist = async (db: Queryable, id: string): Promise<Specialist | null> => {
  if (!UUID.test(id)) return null;
  const { rows } = await db.query<SpecialistRow>(`select ${SPECIALIST_COLUMNS} from retention_specialists where id = $1`, [id]);
  return rows[0] ? toSpecialist(rows[0]) : null;
};
