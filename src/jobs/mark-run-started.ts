import type { Db } from '../db/pool.js';

// why: the earlier value comes from a locked subquery in FROM; read from a CTE in RETURNING it came back null on a second run (Postgres 15).
const MARK_SQL = `update outbox o set started_at = coalesce(o.started_at, $2)
  from (select id, started_at from outbox where id = $1 for update) prev
  where o.id = prev.id returning prev.started_at as earlier`;

/**
 * Records that a run of an outbox row is about to act outside the gateway (send a text, start a
 * call). Returns when an earlier run of the row did the same and never completed (killed, or its
 * answer lost): the handler then asks the provider what that run did before acting again. Null on
 * a row's first run. BullMQ and the relay run a row at least once; this makes the act at most once.
 */
export const markRunStarted = async (db: Db, outboxId: string, now: Date): Promise<Date | null> => {
  const { rows } = await db.query<{ earlier: Date | null }>(MARK_SQL, [outboxId, now]);
  return rows[0]?.earlier ?? null;
};
