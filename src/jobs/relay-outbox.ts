import type { Db } from '../db/pool.js';
import type { OutboxDispatcher } from './dispatch-outbox.js';
import type { OutboxRow } from './outbox-rows.js';

/**
 * Re-dispatches outbox rows committed but never handed to BullMQ (the process
 * died between commit and dispatch, or Redis was down). Safe to run anywhere,
 * any number of times: the job id is the outbox id, and handlers skip rows
 * already completed.
 */
export const relayOutbox = async (
  deps: { db: Db; dispatcher: OutboxDispatcher },
  opts: { olderThan: Date; limit?: number },
): Promise<number> => {
  const { rows } = await deps.db.query<{ id: string; topic: string; payload: Record<string, unknown>; run_at: Date }>(
    `select id, topic, payload, run_at from outbox
      where dispatched_at is null and cancelled_at is null and completed_at is null and created_at < $1 order by created_at limit $2`,
    [opts.olderThan, opts.limit ?? 1000],
  );
  if (rows.length === 0) return 0;
  const batch: OutboxRow[] = rows.map((r) => ({ id: r.id, topic: r.topic, payload: r.payload, runAt: r.run_at }));
  await deps.dispatcher.send(batch);
  return batch.length;
};
