import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { logConnectionErrors } from '../infra/log-connection-errors.js';
import type { Clock } from '../shared/clock.js';
import type { PlanDeps } from './plan-notice-batch.js';
import { queueDueReminders } from './queue-due-reminders.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';

/**
 * The daily due-reminder job: its own queue (periodic work, not the side effect of a
 * transaction), one BullMQ job scheduler shared by every worker process (upserting the same id
 * keeps one schedule), and a versioned payload.
 */
export const DUE_REMINDERS_JOB = {
  queue: 'notices-scheduled',
  schedulerId: 'notices.due-reminders',
  name: 'notices.due-reminders',
  // why: 17:00 UTC is 12:00 in New York and 09:00 in Los Angeles: inside every mainland zone's
  // hours, so the day's reminders start at once and spread at the sender's rate instead of all
  // being deferred to the same 08:00.
  pattern: '0 0 17 * * *',
  payload: z.object({ v: z.literal(1), daysAhead: z.number().int().min(0).max(60) }),
} as const;

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };

/** How often the schedule is checked for (a Redis restarted empty forgets it). */
const SCHEDULE_CHECK_MS = 60_000;

export type ScheduledDueReminders = { stop: () => Promise<void> };

/**
 * Runs the due reminders every day at 17:00 UTC (queueDueReminders: each open due DUE_REMINDER_DAYS
 * ahead on its holder's calendar, once per due and day). A run that throws is logged; the next day's
 * comes at its time, and a run repeated the same day (a retry, a second worker) queues nothing twice.
 */
export const startDueReminderSchedule = async (o: {
  connection: ConnectionOptions;
  prefix: string;
  daysAhead: number;
  clock: Clock;
  plan: PlanDeps & { from: string; dispatch: (rows: OutboxRow[]) => void };
  log: Log;
}): Promise<ScheduledDueReminders> => {
  const queue = new Queue(DUE_REMINDERS_JOB.queue, { connection: o.connection, prefix: o.prefix });
  const data: z.infer<typeof DUE_REMINDERS_JOB.payload> = { v: 1, daysAhead: o.daysAhead };
  const schedule = () => queue.upsertJobScheduler(DUE_REMINDERS_JOB.schedulerId, { pattern: DUE_REMINDERS_JOB.pattern, tz: 'UTC' }, {
    name: DUE_REMINDERS_JOB.name, data, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } },
  });
  await schedule();
  const keep = setInterval(() => {
    queue.getJobScheduler(DUE_REMINDERS_JOB.schedulerId)
      .then((found) => (found ? undefined : schedule().then(() => o.log.warn({}, 'due reminder schedule was lost (Redis restarted empty?) and is scheduled again'))))
      .catch(() => undefined);
  }, SCHEDULE_CHECK_MS);
  keep.unref();
  const worker = new Worker(
    DUE_REMINDERS_JOB.queue,
    async (job) => {
      const p = DUE_REMINDERS_JOB.payload.parse(job.data);
      const run = await queueDueReminders(o.plan, { now: o.clock.now(), daysAhead: p.daysAhead });
      o.log.info({ ...run }, 'due reminders queued');
      return run;
    },
    { connection: o.connection, prefix: o.prefix, concurrency: 1 },
  );
  worker.on('failed', (job, err) => o.log.error({ err, jobId: job?.id }, 'scheduled due reminders failed'));
  logConnectionErrors(queue, o.log, 'due reminder queue');
  logConnectionErrors(worker, o.log, 'due reminder worker');
  o.log.info({ daysAhead: o.daysAhead, pattern: DUE_REMINDERS_JOB.pattern }, 'due reminders scheduled daily');
  return {
    stop: async () => {
      clearInterval(keep);
      await worker.close();
      await queue.close();
    },
  };
};
