import { Queue, type ConnectionOptions } from 'bullmq';

/** Every outbox row becomes one job on this queue; the job name is the row's topic. */
export const OUTBOX_QUEUE = 'outbox';

/** Job data holds the outbox id only: BullMQ keeps job data in clear text in Redis. */
export type OutboxJobData = { outboxId: string };

export type OutboxQueue = Queue<OutboxJobData>;

export const createOutboxQueue = (connection: ConnectionOptions, prefix: string): OutboxQueue =>
  new Queue<OutboxJobData>(OUTBOX_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 8,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 24 * 3600, count: 50_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
