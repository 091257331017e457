import type { Queryable } from '../../db/pool.js';

/** How many events of one type carry each value of one payload field. */
export type EventTally = { key: string; count: number };

/**
 * Events of `type` received in [from, to), counted by the text of their payload's top-level `field`
 * ('none' when absent), most frequent first: e.g. contact deferrals by reason.
 */
export const tallyEvents = async (db: Queryable, q: { type: string; field: string; from: Date; to: Date }): Promise<EventTally[]> => {
  const { rows } = await db.query<EventTally>(
    `select coalesce(payload->>$2, 'none') as key, count(*)::int as count from evidence_events
      where type = $1 and received_at >= $3 and received_at < $4
      group by 1 order by 2 desc, 1`,
    [q.type, q.field, q.from, q.to],
  );
  return rows;
};
