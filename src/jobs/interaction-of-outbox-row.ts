import type { Queryable } from '../db/pool.js';

/** The interaction an outbox row works for (null for a row without one, or no such row). */
export const interactionOfOutboxRow = async (db: Queryable, outboxId: string): Promise<string | null> => {
  const { rows } = await db.query<{ interaction_id: string | null }>('select interaction_id from outbox where id = $1', [outboxId]);
  return rows[0]?.interaction_id ?? null;
};
