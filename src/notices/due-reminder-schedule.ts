import type { ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { startDailySchedule, type RunningSchedule } from '../jobs/daily-schedule.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import type { Clock } from '../shared/clock.js';
import type { PlanDeps } from './plan-notice-batch.js';
import { queueDueReminders } from './queue-due-reminders.js';

/** The daily due-reminder job (see startDailySchedule). */
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

export type ScheduledDueReminders = RunningSchedule;

/**
 * Runs the due reminders every day at 17:00 UTC (queueDueReminders: each open due DUE_REMINDER_DAYS
 * ahead on its holder's calendar, once per due and day). A run that throws is logged; the next day's
 * comes at its time, and a run repeated the same day (a retry, a second worker) queues nothing twice.
 */
export const startDueReminderSchedule = (o: {
  connection: ConnectionOptions;
  prefix: string;
  daysAhead: number;
  clock: Clock;
  plan: PlanDeps & { from: string; dispatch: (rows: OutboxRow[]) => void };
  log: Log;
}): Promise<ScheduledDueReminders> =>
  startDailySchedule({
    connection: o.connection, prefix: o.prefix, job: DUE_REMINDERS_JOB, data: { v: 1, daysAhead: o.daysAhead }, log: o.log, label: 'due reminders',
    run: (p) => queueDueReminders(o.plan, { now: o.clock.now(), daysAhead: p.daysAhead }),
  });
