import type { Db } from '../db/pool.js';
import type { OutboxDispatcher } from './dispatch-outbox.js';
import type { OutboxQueue } from './outbox-queue.js';
import type { OutboxRow } from './outbox-rows.js';

/** Rows due longer ago than this are left alone: a job lost a day ago is an operator's call, not a late text. */
const LOOK_BACK_MS = 24 * 3_600_000;

/**
 * Re-dispatches outbox rows handed to BullMQ whose job is gone: Redis lost it (restarted without
 * persistence, failed over, flushed). Looks at rows dispatched and due before `before`, still open,
 * and asks BullMQ for each one's job; a job that exists in any state (waiting, delayed, active,
 * failed) is left to BullMQ. Safe to run anywhere, any number of times: the job id is the outbox
 * id, and handlers skip rows already completed. Returns how many were re-dispatched.
 */
export const recoverLostJobs = async (
  deps: { db: Db; queue: OutboxQueue; dispatcher: OutboxDispatcher },
  opts: { before: Date; limit?: number },
): Promise<number> => {
  const { rows } = await deps.db.query<{ id: string; topic: string; payload: Record<string, unknown>; run_at: Date }>(
    `select id, topic, payload, run_at from outbox
      where completed_at is null and cancelled_at is null and run_at < $1 and run_at > $2
        and dispatched_at is not null and dispatched_at < $1
      order by run_at limit $3`,
    [opts.before, new Date(opts.before.getTime() - LOOK_BACK_MS), opts.limit ?? 500],
  );
  const lost: OutboxRow[] = [];
  for (const r of rows) {
    if (!(await deps.queue.getJob(r.id))) lost.push({ id: r.id, topic: r.topic, payload: r.payload, runAt: r.run_at });
  }
  if (lost.length) await deps.dispatcher.send(lost);
  return lost.length;
};
