import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import type { OutboxQueue } from './outbox-queue.js';
import type { OutboxRow } from './outbox-rows.js';

type Log = { warn: (obj: object, msg: string) => void };

/**
 * Sends committed outbox rows to BullMQ (job id = outbox id, delayed until
 * run_at) and marks them dispatched. Failures are only logged: the rows stay
 * undispatched and the relay sends them later, so a turn never waits on Redis.
 */
export const createOutboxDispatcher = (deps: { db: Db; queue: OutboxQueue; clock: Clock; log: Log }) => {
  const pending = new Set<Promise<void>>();

  const send = async (rows: readonly OutboxRow[]): Promise<void> => {
    const now = deps.clock.now().getTime();
    await deps.queue.addBulk(
      rows.map((r) => ({
        name: r.topic,
        data: { outboxId: r.id },
        opts: { jobId: r.id, delay: Math.max(0, r.runAt.getTime() - now) },
      })),
    );
    await deps.db.query('update outbox set dispatched_at = $1 where id = any($2::uuid[]) and dispatched_at is null', [
      deps.clock.now(),
      rows.map((r) => r.id),
    ]);
  };

  return {
    /** Fire and forget; see `idle` to wait for everything sent so far. */
    dispatch: (rows: OutboxRow[]): void => {
      const p = send(rows)
        .catch((err: unknown) => deps.log.warn({ err, rows: rows.map((r) => r.id) }, 'outbox dispatch failed; relay will retry'))
        .finally(() => pending.delete(p));
      pending.add(p);
    },
    send,
    /** Resolves when every dispatch started so far has finished. */
    idle: async (): Promise<void> => {
      await Promise.all([...pending]);
    },
  };
};

export type OutboxDispatcher = ReturnType<typeof createOutboxDispatcher>;
