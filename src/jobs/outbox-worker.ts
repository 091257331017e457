import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Db } from '../db/pool.js';
import { appendEvidence } from '../evidence/append-evidence.js';
import { EvidenceType, type EvidenceDraft } from '../evidence/evidence-event.js';
import { interactionHeadJoin } from '../evidence/interactions.js';
import type { Clock } from '../shared/clock.js';
import { OUTBOX_QUEUE, type OutboxJobData } from './outbox-queue.js';
import { logConnectionErrors } from '../infra/log-connection-errors.js';
import { markRunStarted } from './mark-run-started.js';
import { insertOutboxSql, outboxParams, type OutboxRow } from './outbox-rows.js';

export type OutboxJob<P = Record<string, unknown>> = {
  id: string;
  topic: string;
  /** Raw as stored for an OutboxHandler; parsed and typed for a JobHandler (job-registry.ts). */
  payload: P;
  interactionId: string | null;
  attempt: number;
  /**
   * Call right before acting outside the gateway (a text, a call): returns when an earlier run of
   * this row did so and never completed, so the handler asks the provider before acting again.
   */
  markStarted: () => Promise<Date | null>;
};

/** The outbox job acting outside the gateway (sending a text, starting a call): what a sender needs of it. */
export type SendingJob = Pick<OutboxJob, 'id' | 'interactionId' | 'markStarted'>;

/**
 * A handler does the side effect idempotently and says what to record as
 * evidence, optionally a small result (ids, outcome) stored on the row for
 * a flow waiting on it, and optionally further jobs to queue (`outbox`, made
 * with outboxRow): written with the row's completion, so they are queued once,
 * by the run that completed it, on the same interaction.
 *
 * `deferUntil`: the handler did nothing yet and must run again then (quiet hours, a cap, a
 * sender's rate): the row stays open and its job waits in BullMQ. With `evidence`, the row's
 * run_at moves to that time and the evidence is recorded in the same statement; without, nothing
 * is written (a wait of seconds for a sender's rate is not worth a row).
 */
export type OutboxHandlerResult =
  | { evidence?: EvidenceDraft[]; result?: Record<string, unknown>; outbox?: OutboxRow[]; deferUntil?: undefined }
  | { deferUntil: Date; evidence?: EvidenceDraft[] }
  | void;

/** What one run of a row came to: done, skipped (already done or cancelled), or to run again at a time. */
export type OutboxRunOutcome = 'done' | 'skipped' | { deferredUntil: Date };

export type OutboxHandler = (job: OutboxJob) => Promise<OutboxHandlerResult>;

export type OutboxHandlers = Record<string, OutboxHandler>;

/** `dispatch` hands the rows a handler queued to BullMQ after they commit; without it the relay sends them. */
export type OutboxWorkerDeps = { db: Db; clock: Clock; handlers: OutboxHandlers; dispatch?: (rows: OutboxRow[]) => void };

/**
 * Runs outbox jobs. Each job reads its row from Postgres (the job carries the
 * id only), skips rows already completed (a relayed duplicate) or cancelled
 * (the due they served was paid), runs the topic's handler, then marks the
 * row completed and records evidence, in one statement.
 */
export const processOutboxJob = async (
  deps: OutboxWorkerDeps,
  outboxId: string,
  attempt: number,
): Promise<OutboxRunOutcome> => {
  // why: the chain head is read with the row, so recording the outcome usually costs no read of its own.
  const { rows } = await deps.db.query<{
    topic: string;
    payload: Record<string, unknown>;
    interaction_id: string | null;
    completed_at: Date | null;
    cancelled_at: Date | null;
    evidence_seq: number | null;
    evidence_head: string | null;
  }>(
    `select o.topic, o.payload, o.interaction_id, o.completed_at, o.cancelled_at, i.evidence_seq, i.evidence_head
       from outbox o ${interactionHeadJoin('i', { idExpr: 'o.interaction_id' })} where o.id = $1`,
    [outboxId],
  );
  const row = rows[0];
  if (!row) throw new UnrecoverableError(`outbox row ${outboxId} does not exist`);
  if (row.completed_at || row.cancelled_at) return 'skipped';
  const handler = deps.handlers[row.topic];
  if (!handler) throw new UnrecoverableError(`no handler for outbox topic ${row.topic}`);
  const job: OutboxJob = {
    id: outboxId, topic: row.topic, payload: row.payload, interactionId: row.interaction_id, attempt,
    markStarted: () => markRunStarted(deps.db, outboxId, deps.clock.now()),
  };
  const result = await handler(job);
  if (result && result.deferUntil) {
    await deferRow(deps, { ...row, id: outboxId }, result.deferUntil, result.evidence ?? []);
    return { deferredUntil: result.deferUntil };
  }
  const now = deps.clock.now();
  const queued = (result && result.outbox) || [];
  // why: the completion gates the queued rows: only the run that completed the row queues them.
  const complete = {
    values: [now, result && result.result ? JSON.stringify(result.result) : null, outboxId,
      ...(queued.length ? [...outboxParams(queued, row.interaction_id), now] : [])],
    // dispatched_at too: a row run in-process (runFollowUps) never went through BullMQ, and the relay must not send it.
    with: (p: number) => `done as (update outbox set completed_at = $${p}, result = $${p + 1}, dispatched_at = coalesce(dispatched_at, $${p})
                             where id = $${p + 2} and completed_at is null returning 1)`
      + (queued.length ? `, queued as (${insertOutboxSql(p + 3, p + 9, 'where exists (select 1 from done)')})` : ''),
  };
  if (!row.interaction_id) {
    await deps.db.query(`with ${complete.with(1)} select 1`, complete.values);
    if (queued.length) await runFollowUps(deps, queued);
    return 'done';
  }
  // The row is marked completed and its evidence appended in one statement: both or neither, and
  // only by the run that completed it (a duplicate run records nothing).
  const extra = result && 'evidence' in result && result.evidence ? result.evidence : [];
  const recorded = await appendEvidence(deps.db, deps.clock, row.interaction_id, [
    { type: EvidenceType.OUTBOUND_COMPLETED, payload: { outboxId, topic: row.topic, attempt } },
    ...extra,
  ], {
    head: row.evidence_seq === null || row.evidence_head === null ? null : { seq: row.evidence_seq, hash: row.evidence_head },
    extra: { with: complete.with, values: complete.values, gate: 'done' },
  });
  if (recorded && queued.length) await runFollowUps(deps, queued);
  return 'done';
};

/** Moves an open row's run_at to `until` with the evidence of why, both or neither; nothing at all without evidence. */
const deferRow = async (
  deps: OutboxWorkerDeps,
  row: { id: string; interaction_id: string | null; evidence_seq: number | null; evidence_head: string | null },
  until: Date,
  evidence: EvidenceDraft[],
): Promise<void> => {
  if (evidence.length === 0) return;
  const move = {
    values: [until, row.id],
    with: (p: number) => `moved as (update outbox set run_at = $${p} where id = $${p + 1} and completed_at is null returning 1)`,
  };
  if (!row.interaction_id) {
    await deps.db.query(`with ${move.with(1)} select 1`, move.values);
    return;
  }
  await appendEvidence(deps.db, deps.clock, row.interaction_id, evidence, {
    head: row.evidence_seq === null || row.evidence_head === null ? null : { seq: row.evidence_seq, hash: row.evidence_head },
    extra: { ...move, gate: 'moved' },
  });
};

/**
 * The jobs a handler queued (a receipt after a charge), committed with its completion: those due
 * now run here at once, in this process, saving each a trip through Redis and a dispatch write;
 * one that fails, and those due later, go to BullMQ as any job does (its retries, its delay). A
 * crash before they run leaves them to the relay.
 */
const runFollowUps = async (deps: OutboxWorkerDeps, rows: readonly OutboxRow[]): Promise<void> => {
  const now = deps.clock.now().getTime();
  const later: OutboxRow[] = [];
  for (const r of rows) {
    if (r.runAt.getTime() > now) {
      later.push(r);
      continue;
    }
    try {
      const outcome = await processOutboxJob(deps, r.id, 1);
      if (typeof outcome === 'object') later.push({ ...r, runAt: outcome.deferredUntil });
    } catch {
      later.push(r);
    }
  }
  if (later.length) deps.dispatch?.(later);
};

export const startOutboxWorker = (
  deps: OutboxWorkerDeps & { log: { error: (o: object, m: string) => void; warn: (o: object, m: string) => void } },
  connection: ConnectionOptions,
  prefix: string,
  concurrency = 8,
): Worker<OutboxJobData> => {
  const worker = new Worker<OutboxJobData>(
    OUTBOX_QUEUE,
    async (job: Job<OutboxJobData>, token?: string) => {
      const outcome = await processOutboxJob(deps, job.data.outboxId, job.attemptsMade + 1);
      if (typeof outcome === 'string') return outcome;
      // why: BullMQ's way to put an active job back to wait: move it (our lock's token) and say so by DelayedError.
      await job.moveToDelayed(outcome.deferredUntil.getTime(), token);
      throw new DelayedError();
    },
    { connection, prefix, concurrency },
  );
  worker.on('failed', (job, err) => deps.log.error({ err, jobId: job?.id, topic: job?.name }, 'outbox job failed'));
  logConnectionErrors(worker, { warn: deps.log.warn }, 'outbox worker');
  return worker;
};
