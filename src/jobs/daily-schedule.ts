import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { z } from 'zod';
import { logConnectionErrors } from '../infra/log-connection-errors.js';

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };

/** A periodic job: its own queue (periodic work, not the side effect of a transaction), one scheduler id, a cron pattern (UTC) and a versioned payload. */
export type DailyJob<S extends z.ZodType> = { queue: string; schedulerId: string; name: string; pattern: string; payload: S };

/** How often the schedule is checked for (a Redis restarted empty forgets it). */
const SCHEDULE_CHECK_MS = 60_000;

export type RunningSchedule = { stop: () => Promise<void> };

/**
 * Runs `run` on the job's cron pattern with `data`: one BullMQ job scheduler shared by every worker
 * process (upserting the same id keeps one schedule), put back when Redis lost it, three tries a
 * run. `run` must be safe to repeat (a retry, a second worker): the next day's run comes at its time.
 */
export const startDailySchedule = async <S extends z.ZodType>(o: {
  connection: ConnectionOptions;
  prefix: string;
  job: DailyJob<S>;
  data: z.infer<S>;
  run: (data: z.infer<S>) => Promise<object>;
  log: Log;
  /** Words for the logs: "due reminders", "debit run". */
  label: string;
}): Promise<RunningSchedule> => {
  const queue = new Queue(o.job.queue, { connection: o.connection, prefix: o.prefix });
  const schedule = () => queue.upsertJobScheduler(o.job.schedulerId, { pattern: o.job.pattern, tz: 'UTC' }, {
    name: o.job.name, data: o.data, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } },
  });
  await schedule();
  const keep = setInterval(() => {
    queue.getJobScheduler(o.job.schedulerId)
      .then((found) => (found ? undefined : schedule().then(() => o.log.warn({}, `${o.label} schedule was lost (Redis restarted empty?) and is scheduled again`))))
      .catch(() => undefined);
  }, SCHEDULE_CHECK_MS);
  keep.unref();
  const worker = new Worker(
    o.job.queue,
    async (job) => {
      const result = await o.run(o.job.payload.parse(job.data));
      o.log.info({ ...result }, `${o.label} done`);
      return result;
    },
    { connection: o.connection, prefix: o.prefix, concurrency: 1 },
  );
  worker.on('failed', (job, err) => o.log.error({ err, jobId: job?.id }, `scheduled ${o.label} failed`));
  logConnectionErrors(queue, o.log, `${o.label} queue`);
  logConnectionErrors(worker, o.log, `${o.label} worker`);
  o.log.info({ pattern: o.job.pattern }, `${o.label} scheduled daily`);
  return {
    stop: async () => {
      clearInterval(keep);
      await worker.close();
      await queue.close();
    },
  };
};
