import type { Queue } from 'bullmq';

/** What the queue view reads of the outbox queue (BullMQ's Queue; a port so the page needs no Redis of its own). */
export type OperatorQueue = Pick<Queue, 'name' | 'getJobCounts' | 'getFailed'>;

export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

/** A failed job as the operator sees it: never its payload (an outbox id only, but reasons may quote numbers). */
export type FailedJob = { id: string; name: string; reason: string; attempts: number; failedAt: string | null };

export type QueueState =
  | { connected: true; queue: string; counts: Record<(typeof QUEUE_STATES)[number], number>; failed: FailedJob[] }
  | { connected: false; problem: string };

/** Phone-number-like runs of digits in an error text, masked: a reason may quote whom a job was for. */
export const maskNumbers = (text: string): string => text.replace(/\+?\d[\d ().-]{5,}\d/g, '[number]');

const within = <T>(ms: number, p: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
};

/** The queue's depth by state and its latest failed jobs (newest first), or why they cannot be read now. */
export const readQueueState = async (queue: OperatorQueue | undefined, o: { failedLimit?: number; timeoutMs?: number } = {}): Promise<QueueState> => {
  if (!queue) return { connected: false, problem: 'this process has no outbox queue (the web process of `npm start` has one)' };
  try {
    const [counts, failed] = await within(o.timeoutMs ?? 3_000, Promise.all([
      queue.getJobCounts(...QUEUE_STATES),
      queue.getFailed(0, (o.failedLimit ?? 10) - 1),
    ]));
    return {
      connected: true, queue: queue.name,
      counts: Object.fromEntries(QUEUE_STATES.map((s) => [s, counts[s] ?? 0])) as Record<(typeof QUEUE_STATES)[number], number>,
      failed: failed.filter((j) => j).map((j) => ({
        id: String(j.id ?? ''), name: j.name, reason: maskNumbers(j.failedReason ?? '').slice(0, 300), attempts: j.attemptsMade,
        failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
      })),
    };
  } catch (err) {
    return { connected: false, problem: `the queue could not be read: ${(err as Error).message}` };
  }
};
