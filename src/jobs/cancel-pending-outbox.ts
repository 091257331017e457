import type { Db, DbClient } from '../db/pool.js';

/**
 * Cancels outbox work not yet done for a correlation ('due:<id>'): paying a
 * due stops the reminders and retries waiting on it. Workers skip cancelled
 * rows; a job already running finishes. Returns the number of rows cancelled.
 */
export const cancelPendingOutbox = async (db: Db | DbClient, correlation: string, at: Date): Promise<number> => {
  const r = await db.query(
    `update outbox set cancelled_at = $2 where correlation = $1 and completed_at is null and cancelled_at is null`,
    [correlation, at],
  );
  return r.rowCount ?? 0;
};
