import type { Queryable } from '../db/pool.js';

/**
 * Whether another job about the same thing (its correlation) came before this one and was not
 * cancelled: completed, or created earlier and still to run. The later of two such jobs stands
 * down, so a side effect queued from two paths (a receipt after a charge whose first run died) happens once.
 */
export const earlierJobAbout = async (db: Queryable, correlation: string, outboxId: string): Promise<boolean> => {
  const { rows } = await db.query(
    `select 1 from outbox o, (select created_at from outbox where id = $2) me
      where o.correlation = $1 and o.id <> $2 and o.cancelled_at is null
        and (o.completed_at is not null or o.created_at < me.created_at or (o.created_at = me.created_at and o.id < $2))
      limit 1`,
    [correlation, outboxId],
  );
  return rows.length > 0;
};

/** The jobs about one thing (their correlation), not cancelled: whether each completed and what it reported. */
export const jobsAbout = async (db: Queryable, correlation: string): Promise<{ id: string; completed: boolean; result: Record<string, unknown> | null }[]> =>
  (await db.query<{ id: string; completed: boolean; result: Record<string, unknown> | null }>(
    'select id, completed_at is not null as completed, result from outbox where correlation = $1 and cancelled_at is null',
    [correlation],
  )).rows;
