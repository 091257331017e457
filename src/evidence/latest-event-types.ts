import type { Queryable } from '../db/pool.js';
import type { EvidenceTypeName } from './evidence-event.js';

/**
 * For each of these interactions, the type of its latest event among `types` (what its chain says
 * happened last, e.g. sent, deferred or suppressed); interactions with none of them are absent.
 */
export const latestEventTypes = async (
  db: Queryable, interactionIds: readonly string[], types: readonly EvidenceTypeName[],
): Promise<Map<string, EvidenceTypeName>> => {
  if (interactionIds.length === 0) return new Map();
  const { rows } = await db.query<{ interaction_id: string; type: EvidenceTypeName }>(
    `select distinct on (interaction_id) interaction_id, type from evidence_events
      where interaction_id = any($1::uuid[]) and type = any($2::text[]) order by interaction_id, seq desc`,
    [interactionIds, types],
  );
  return new Map(rows.map((r) => [r.interaction_id, r.type]));
};
