import type { Db } from '../db/pool.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { insertOutboxSql, outboxParams, outboxRow, type OutboxRow } from '../jobs/outbox-rows.js';
import { chargeDue } from './charge-due.js';
import { findDebitDues } from './find-debit-dues.js';
import { debitDueJob } from './payment-jobs.js';
import type { PaymentsDeps } from './payments-deps.js';

/** What one debit run came to: charges queued. */
export type DebitRun = { queued: number };

/** How many dues one statement queues. */
const PAGE = 500;

/**
 * The insurer's debit run (card on file): queues today's off-session charge of every due falling due
 * today on its holder's calendar, one `payments.debit-due` job per due (correlated `due:<id>`, so a
 * payment meanwhile cancels it). A charge that fails starts failed-debit recovery, as any off-session
 * failure does. Safe to repeat the same day: each job charges only a due never tried.
 */
export const queueDebitRun = async (
  deps: { db: Db; dispatch: (rows: OutboxRow[]) => void }, o: { now: Date; homeZone: string },
): Promise<DebitRun> => {
  let afterId: string | null = null;
  let queued = 0;
  for (;;) {
    const ids = await findDebitDues(deps.db, { now: o.now, homeZone: o.homeZone, afterId, limit: PAGE });
    if (ids.length === 0) return { queued };
    afterId = ids.at(-1)!;
    const rows = ids.map((dueId) => outboxRow(debitDueJob, { dueId }, { runAt: o.now, correlation: `due:${dueId}` }));
    await deps.db.query(insertOutboxSql(1, 7), [...outboxParams(rows, null), o.now]);
    deps.dispatch(rows);
    queued += rows.length;
  }
};

/**
 * `payments.debit-due`: charges the due off-session with the card on file (channel `debit-run`,
 * its decline starting recovery), unless someone tried to pay it since it was queued. The charge's
 * evidence is on the due's payment interaction, as every charge's.
 */
export const createDebitDueHandler =
  (deps: PaymentsDeps): JobHandler<typeof debitDueJob> =>
  async (job) => {
    const { dueId } = job.payload;
    // why: a customer who paid or tried to since the run queued this (by phone, text or link) is not debited behind their back.
    const tried = (await deps.db.query('select 1 from payment_attempts where due_id = $1 limit 1', [dueId])).rowCount === 1;
    if (tried) return { result: { dueId, outcome: 'not-charged', reason: 'the due was tried since the run queued it' } };
    const r = await chargeDue({ dueId, channel: 'debit-run' }, deps);
    return { result: { dueId, outcome: r.outcome, ...('attemptId' in r ? { attemptId: r.attemptId } : {}) } };
  };
