import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import { z } from 'zod';
import { logConnectionErrors } from '../infra/log-connection-errors.js';
import type { Payments } from './payments-module.js';

/**
 * The scheduled payments reconciliation job: its own queue (it is periodic work, not the side effect
 * of a transaction, so it has no outbox row), one BullMQ job scheduler shared by every worker
 * process (upserting the same id from many processes keeps one schedule, and each run goes to one
 * worker), and a versioned payload.
 */
export const RECONCILE_JOB = {
  queue: 'payments-scheduled',
  schedulerId: 'payments.reconcile',
  name: 'payments.reconcile',
  payload: z.object({ v: z.literal(1), sinceHours: z.number().int().min(1).max(24 * 90) }),
} as const;

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void; error: (o: object, m: string) => void };

/** How often the schedule is checked for (at most; never less often than it runs). */
const SCHEDULE_CHECK_MS = 30_000;

export type ScheduledReconciliation = { stop: () => Promise<void> };

/**
 * Runs `payments.reconcile` every `everyMs` (PAYMENTS_RECONCILE_INTERVAL_MS): attempts left pending
 * past their lease are resolved at Stripe, then Stripe's last `sinceHours` (default 48) are compared
 * with ours. A run that throws is logged and the next one comes at its time.
 */
export const startPaymentsReconciliation = async (o: {
  connection: ConnectionOptions;
  prefix: string;
  everyMs: number;
  sinceHours?: number;
  payments: Pick<Payments, 'reconcile'>;
  log: Log;
}): Promise<ScheduledReconciliation> => {
  const queue = new Queue(RECONCILE_JOB.queue, { connection: o.connection, prefix: o.prefix });
  const data: z.infer<typeof RECONCILE_JOB.payload> = { v: 1, sinceHours: o.sinceHours ?? 48 };
  const schedule = () => queue.upsertJobScheduler(RECONCILE_JOB.schedulerId, { every: o.everyMs }, {
    name: RECONCILE_JOB.name, data, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  });
  await schedule();
  // why: a Redis restarted without its data forgets the scheduler too; it is put back when found missing.
  const keep = setInterval(() => {
    queue.getJobScheduler(RECONCILE_JOB.schedulerId)
      .then((found) => (found ? undefined : schedule().then(() => o.log.warn({}, 'payments reconciliation schedule was lost (Redis restarted empty?) and is scheduled again'))))
      .catch(() => undefined);
  }, Math.min(o.everyMs, SCHEDULE_CHECK_MS));
  keep.unref();
  const worker = new Worker(
    RECONCILE_JOB.queue,
    async (job) => {
      const p = RECONCILE_JOB.payload.parse(job.data);
      await o.payments.reconcile(p.sinceHours);
    },
    { connection: o.connection, prefix: o.prefix, concurrency: 1 },
  );
  worker.on('failed', (job, err) => o.log.error({ err, jobId: job?.id }, 'scheduled payments reconciliation failed'));
  logConnectionErrors(queue, o.log, 'reconciliation queue');
  logConnectionErrors(worker, o.log, 'reconciliation worker');
  o.log.info({ everyMs: o.everyMs }, 'payments reconciliation scheduled');
  return {
    stop: async () => {
      clearInterval(keep);
      await worker.close();
      await queue.close();
    },
  };
};
