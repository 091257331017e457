import type { Db } from '../../src/db/pool.js';
import { eventParts } from '../../src/evidence/turn-event.js';

/**
 * The evidence events matching `where` (SQL over evidence_events `e`), oldest first, part by part
 * (a `flow.turn` event as its parts), with the provider time as an ISO string.
 */
export const evidenceParts = async (db: Db, where: string, values: unknown[]) => {
  const { rows } = await db.query<{ type: string; payload: Record<string, unknown>; providerRef: string | null; providerTime: string | null; seq: number }>(
    `select e.type, e.payload, e.provider_ref as "providerRef", to_json(e.provider_time) #>> '{}' as "providerTime", e.seq
       from evidence_events e where ${where} order by e.interaction_id, e.seq`,
    values,
  );
  return rows.flatMap((r) => eventParts(r));
};
