import type { Queryable } from '../db/pool.js';

/** Where an outbox row stands: still to run (perhaps moved later), done, or cancelled (the due it served was paid). */
export type OutboxState = 'open' | 'completed' | 'cancelled';

/** The state of each of these outbox rows, by id; an id with no row is absent. One query whatever the count. */
export const findOutboxStates = async (db: Queryable, ids: readonly string[]): Promise<Map<string, OutboxState>> => {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; state: OutboxState }>(
    `select id, case when cancelled_at is not null then 'cancelled' when completed_at is not null then 'completed' else 'open' end as state
       from outbox where id = any($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, r.state]));
};

/**
 * The latest time an open job of `topic` is planned for (null when none waits): a new batch spread
 * at a sender's rate starts after it, so two batches do not share the same seconds.
 */
export const latestOpenRunAt = async (db: Queryable, topic: string): Promise<Date | null> =>
  (await db.query<{ at: Date | null }>(
    'select max(run_at) as at from outbox where completed_at is null and cancelled_at is null and topic = $1',
    [topic],
  )).rows[0]?.at ?? null;
