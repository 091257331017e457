import { newId } from '../shared/ids.js';
import type { OutboxDraft } from '../flows/runtime/effects.js';
import { checkJobPayload, parseJobPayload, type JobDefinition, type JobPayloadIn } from './job-definition.js';

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

/**
 * SQL inserting outbox rows bound at $p..$p+5 (ids, topics, payloads,
 * interaction ids, run_at, correlations), optionally gated by `where`.
 */
export const insertOutboxSql = (p: number, createdAtParam: number, where = ''): string => `
  insert into outbox (id, topic, payload, interaction_id, run_at, correlation, created_at)
  select u.id, u.topic, u.payload, u.interaction_id, u.run_at, u.correlation, $${createdAtParam}
    from unnest($${p}::uuid[], $${p + 1}::text[], $${p + 2}::jsonb[], $${p + 3}::uuid[], $${p + 4}::timestamptz[],
                $${p + 5}::text[])
      as u(id, topic, payload, interaction_id, run_at, correlation) ${where}`;

export const outboxParams = (rows: readonly OutboxRow[], interactionId: string | null): unknown[] => [
  rows.map((r) => r.id),
  rows.map((r) => r.topic),
  rows.map(outboxPayloadJson),
  rows.map(() => interactionId),
  rows.map((r) => r.runAt),
  rows.map((r) => r.correlation ?? null),
];
