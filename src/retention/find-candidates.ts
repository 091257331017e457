import type { Queryable } from '../db/pool.js';
import { pickSpecialists, whenNextOpen, type PickRequest } from './pick-specialist.js';
import { listSpecialists } from './list-specialists.js';
import type { Specialist } from './specialist.js';

/** The specialists to ring for a transfer, in order (see pickSpecialists): active ones read, then picked. */
export const findCandidates = async (db: Queryable, r: PickRequest): Promise<Specialist[]> =>
  pickSpecialists(await listSpecialists(db, { activeOnly: true }), r);

/** Whether anyone can take a transfer now, else when the next specialist's hours begin (see whenNextOpen). */
export const findNextOpening = async (db: Queryable, r: Pick<PickRequest, 'now' | 'defaultHours'>) =>
  whenNextOpen(await listSpecialists(db, { activeOnly: true }), r);
