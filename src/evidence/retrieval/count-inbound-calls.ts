import type { Queryable } from '../../db/pool.js';

/** Inbound calls that began in [from, to): how many, and how many have ended. */
export const countInboundCalls = async (db: Queryable, w: { from: Date; to: Date }): Promise<{ calls: number; ended: number }> => {
  const { rows } = await db.query<{ calls: number; ended: number }>(
    `select count(*)::int as calls, count(*) filter (where ended_at is not null)::int as ended from interactions
      where kind = 'call' and direction = 'inbound' and started_at >= $1 and started_at < $2`,
    [w.from, w.to],
  );
  return rows[0] ?? { calls: 0, ended: 0 };
};
