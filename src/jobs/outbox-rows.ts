import { newId } from '../shared/ids.js';
import { checkJobPayload, parseJobPayload, type JobDefinition, type JobPayloadIn } from './job-definition.js';

/** A job a turn asks for, before it is a row: its topic, payload and when to run it. */
export type OutboxDraft = {
  topic: string;
  payload: Record<string, unknown>;
  runAt?: Date;
  delayMs?: number;
  /** What the job is about ('due:<id>'): paying the due cancels its work not yet done (recordPaymentSucceeded). */
  correlation?: string;
};

/** An outbox row as written in a turn's transaction and handed to the dispatcher after commit. */
export type OutboxRow = { id: string; topic: string; payload: Record<string, unknown>; runAt: Date; correlation?: string | null };

// why: a payload is checked against its job definition once, where the row is made (per turn, so a
// bad turn fails alone and not the batch it would join); rows made elsewhere (payments' settle-context
// literals) are checked by the statement writing them. Either way before any SQL: a refused
// payload never becomes a row.
const checked = new WeakSet<OutboxRow>();

const checkedRow = (row: OutboxRow): OutboxRow => {
  checkJobPayload(row.topic, row.payload);
  checked.add(row);
  return row;
};

/** The payload as the jsonb parameter of an insert, checked against its definition unless already. */
export const outboxPayloadJson = (row: OutboxRow): string => {
  if (!checked.has(row)) checkJobPayload(row.topic, row.payload);
  return JSON.stringify(row.payload);
};

export const toOutboxRows = (drafts: readonly OutboxDraft[], now: Date): OutboxRow[] =>
  drafts.map((d) => checkedRow({
    id: newId(),
    topic: d.topic,
    payload: d.payload,
    runAt: d.runAt ?? new Date(now.getTime() + (d.delayMs ?? 0)),
    correlation: d.correlation ?? null,
  }));

/**
 * A job to queue from outside a flow, typed by its definition and checked by it (a JobPayloadError
 * naming the topic and the field otherwise). The payload is stored as given, as today.
 */
export const outboxRow = <D extends JobDefinition>(
  def: D,
  payload: JobPayloadIn<D> & Record<string, unknown>,
  o: { runAt: Date; correlation?: string | null; id?: string },
): OutboxRow => {
  parseJobPayload(def, payload);
  const row: OutboxRow = { id: o.id ?? newId(), topic: def.topic, payload, runAt: o.runAt, correlation: o.correlation ?? null };
  checked.add(row);
  return row;
};

// The outbox columns a write fills from its rows, with their parameter types: the one list every insert uses.
const COLUMNS = [
  ['id', 'uuid'], ['topic', 'text'], ['payload', 'jsonb'], ['interaction_id', 'uuid'], ['run_at', 'timestamptz'], ['correlation', 'text'],
] as const;
const NAMES = COLUMNS.map(([n]) => n).join(', ');
const unnestOf = (p: number) => COLUMNS.map(([, t], k) => `$${p + k}::${t}[]`).join(', ');

/**
 * SQL inserting outbox rows bound at $p..$p+5 (ids, topics, payloads,
 * interaction ids, run_at, correlations), optionally gated by `where`.
 */
export const insertOutboxSql = (p: number, createdAtParam: number, where = ''): string => `
  insert into outbox (${NAMES}, created_at)
  select ${NAMES}, $${createdAtParam} from unnest(${unnestOf(p)}) as u(${NAMES}) ${where}`;

export const outboxParams = (rows: readonly OutboxRow[], interactionId: string | null): unknown[] =>
  taggedOutboxParams([{ rows, interactionId }]).slice(0, COLUMNS.length);

/**
 * Outbox rows of several writes in one statement (a batch of turns): the rows of `parts[i]` are
 * tagged i, bound at $p..$p+6 (the tags last); insertTaggedOutboxSql keeps those whose tag is in a
 * CTE's column `i`.
 */
export const taggedOutboxParams = (parts: readonly { rows: readonly OutboxRow[]; interactionId: string | null }[]): unknown[] => {
  const all = parts.flatMap((p, i) => p.rows.map((r) => ({ r, i, ix: p.interactionId })));
  return [
    all.map((a) => a.r.id), all.map((a) => a.r.topic), all.map((a) => outboxPayloadJson(a.r)), all.map((a) => a.ix),
    all.map((a) => a.r.runAt), all.map((a) => a.r.correlation ?? null), all.map((a) => a.i),
  ];
};

export const insertTaggedOutboxSql = (p: number, createdAtParam: number, keep: string): string => `
  insert into outbox (${NAMES}, created_at)
  select ${NAMES}, $${createdAtParam} from unnest(${unnestOf(p)}, $${p + COLUMNS.length}::int[]) as u(${NAMES}, tag)
   where u.tag in (select i from ${keep})`;

/**
 * SQL cancelling the jobs not yet done whose correlation is $p (what they are about: 'due:<id>'),
 * at time $at; `returning 1` per job cancelled. For a caller's statement (paying a due cancels its reminders).
 */
export const cancelJobsSql = (p: number, at: number): string =>
  `update outbox set cancelled_at = $${at} where correlation = $${p} and completed_at is null and cancelled_at is null returning 1`;

/**
 * A lateral join, for a caller's statement, giving `alias`.done and `alias`.result: the latest job of
 * `topic` queued on interaction `interactionExpr` (a SQL expression), whether it finished, and what it reported.
 */
export const latestJobJoin = (alias: string, interactionExpr: string, topic: string): string =>
  `left join lateral (
     select gw_job.completed_at is not null as done, gw_job.result from outbox gw_job
      where gw_job.interaction_id = ${interactionExpr} and gw_job.topic = '${topic.replace(/'/g, "''")}'
      order by gw_job.created_at desc limit 1) ${alias} on true`;
