import type { ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import type { Db } from '../db/pool.js';
import { startDailySchedule, type RunningSchedule } from '../jobs/daily-schedule.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import type { Clock } from '../shared/clock.js';
import { queueDebitRun } from './debit-run.js';

/** The daily debit run (see startDailySchedule). */
export const DEBIT_RUN_JOB = {
  queue: 'payments-scheduled',
  schedulerId: 'payments.debit-run',
  name: 'payments.debit-run',
  // why: 14:00 UTC is 09:00 in New York and 06:00 in Los Angeles: the day's debits go in the morning, so a
  // decline's first text (day 0 of recovery) reaches the customer the same day, within the contact hours.
  pattern: '0 0 14 * * *',
  payload: z.object({ v: z.literal(1) }),
} as const;

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };

/** Runs the debit run every day at 14:00 UTC (DEBIT_RUN=on): queueDebitRun at the clock's time. */
export const startDebitRunSchedule = (o: {
  connection: ConnectionOptions; prefix: string; clock: Clock; db: Db; homeZone: string; dispatch: (rows: OutboxRow[]) => void; log: Log;
}): Promise<RunningSchedule> =>
  startDailySchedule({
    connection: o.connection, prefix: o.prefix, job: DEBIT_RUN_JOB, data: { v: 1 }, log: o.log, label: 'debit run',
    run: () => queueDebitRun({ db: o.db, dispatch: o.dispatch }, { now: o.clock.now(), homeZone: o.homeZone }),
  });
