import type { Queryable } from '../../db/pool.js';

/**
 * Calls handed to a person in [from, to): distinct calls a warm transfer was requested for (whether
 * or not a specialist answered: the caller left self-service either way).
 */
export const countTransferredCalls = async (db: Queryable, w: { from: Date; to: Date }): Promise<number> => {
  const { rows } = await db.query<{ n: number }>(
    'select count(distinct caller_call_sid)::int as n from warm_transfers where requested_at >= $1 and requested_at < $2',
    [w.from, w.to],
  );
  return rows[0]?.n ?? 0;
};
