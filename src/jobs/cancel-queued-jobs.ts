import type { Queryable } from '../db/pool.js';

/**
 * Cancels the jobs of `topic` about `correlation` that have neither run nor been cancelled (the
 * worker skips a cancelled row); returns how many. For a flow that ended while one of its own
 * wake-ups was being queued beside the ending (a payment racing a step's outcome).
 */
export const cancelQueuedJobs = async (db: Queryable, o: { correlation: string; topic: string; at: Date }): Promise<number> =>
  (await db.query('update outbox set cancelled_at = $3 where correlation = $1 and topic = $2 and completed_at is null and cancelled_at is null', [o.correlation, o.topic, o.at])).rowCount ?? 0;
