import type { Queryable } from '../db/pool.js';

/** Numbers that withdrew consent on a channel, by how they did (a STOP text, the IVR, an import...). */
export type OptOutCount = { channel: 'sms' | 'voice'; source: string; count: number };

/**
 * Opt-outs recorded in [from, to) that are still in force (the registry holds each number's current
 * consent: one opted back in since no longer counts), by channel and source.
 */
export const countOptOuts = async (db: Queryable, w: { from: Date; to: Date }): Promise<OptOutCount[]> => {
  const { rows } = await db.query<OptOutCount>(
    `select channel, source, count(*)::int as count from consents
      where not granted and recorded_at >= $1 and recorded_at < $2
      group by channel, source order by channel, count(*) desc, source`,
    [w.from, w.to],
  );
  return rows;
};
