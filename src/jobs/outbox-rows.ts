import { newId } from '../shared/ids.js';
import type { OutboxDraft } from '../flows/runtime/effects.js';

/** An outbox row as written in a turn's transaction and handed to the dispatcher after commit. */
export type OutboxRow = { id: string; topic: string; payload: Record<string, unknown>; runAt: Date; correlation?: string | null };

export const toOutboxRows = (drafts: readonly OutboxDraft[], now: Date): OutboxRow[] =>
  drafts.map((d) => ({
    id: newId(),
    topic: d.topic,
    payload: d.payload,
    runAt: d.runAt ?? new Date(now.getTime() + (d.delayMs ?? 0)),
    correlation: d.correlation ?? null,
  }));

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
  rows.map((r) => JSON.stringify(r.payload)),
  rows.map(() => interactionId),
  rows.map((r) => r.runAt),
  rows.map((r) => r.correlation ?? null),
];
