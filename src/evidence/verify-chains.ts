import type { Db } from '../db/pool.js';
import { GENESIS_HASH, hashEvent } from './hash-chain.js';

export type BrokenLink = {
  interactionId: string;
  /** The first event that does not check out, or null when the chain's tail is missing. */
  eventId: string | null;
  seq: number;
  type: string | null;
  reason: string;
};

export type VerifyReport = {
  interactions: number;
  events: number;
  broken: BrokenLink[];
};

type Row = {
  id: string;
  interaction_id: string;
  seq: number;
  type: string;
  schema_version: number;
  provider_ref: string | null;
  provider_time: Date | null;
  received_at: Date;
  payload: unknown;
  prev_hash: string;
  hash: string;
};

type Head = { id: string; evidence_seq: number; evidence_head: string };

/** Checks one interaction's rows (ordered by seq) against its stored head; returns the first broken link. */
export const checkChain = (head: Head, rows: readonly Row[]): BrokenLink | null => {
  let prev = GENESIS_HASH;
  let expectedSeq = 0;
  for (const r of rows) {
    const at = { interactionId: head.id, eventId: r.id, seq: r.seq, type: r.type };
    if (r.seq !== expectedSeq) {
      return { ...at, reason: `sequence jumps from ${expectedSeq - 1} to ${r.seq}: event(s) missing` };
    }
    if (r.prev_hash !== prev) return { ...at, reason: 'previous-hash link does not match the event before it' };
    const recomputed = hashEvent(prev, {
      interactionId: r.interaction_id,
      seq: r.seq,
      type: r.type,
      schemaVersion: r.schema_version,
      providerRef: r.provider_ref,
      providerTime: r.provider_time,
      receivedAt: r.received_at,
      payload: r.payload,
    });
    if (recomputed !== r.hash) return { ...at, reason: 'content does not match its hash: the event was altered' };
    prev = r.hash;
    expectedSeq += 1;
  }
  if (head.evidence_seq !== expectedSeq || head.evidence_head !== prev) {
    const last = rows[rows.length - 1];
    return {
      interactionId: head.id,
      eventId: null,
      seq: expectedSeq,
      type: null,
      reason:
        head.evidence_seq > expectedSeq
          ? `chain ends at seq ${expectedSeq - 1} but ${head.evidence_seq} events were recorded: the tail was removed`
          : `chain head does not match the last event${last ? ` (seq ${last.seq})` : ''}`,
    };
  }
  return null;
};

/**
 * Re-checks every interaction's chain (or one interaction's), streaming in
 * batches so a large log never sits in memory at once.
 */
export const verifyChains = async (
  db: Db,
  opts: { interactionId?: string; batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<VerifyReport> => {
  const batchSize = opts.batchSize ?? 500;
  const report: VerifyReport = { interactions: 0, events: 0, broken: [] };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    // why: one statement, so heads and events come from one snapshot; writers committing
    // between two reads would otherwise look like a broken head.
    const { rows } = await db.query<Row & { head_id: string; evidence_seq: number; evidence_head: string }>(
      `with heads as (
         select id, evidence_seq, evidence_head from interactions
          where ${opts.interactionId ? 'id = $1' : 'id > $1'} order by id limit $2)
       select h.id as head_id, h.evidence_seq, h.evidence_head, e.id, e.interaction_id, e.seq, e.type, e.schema_version,
              e.provider_ref, e.provider_time, e.received_at, e.payload, e.prev_hash, e.hash
         from heads h left join evidence_events e on e.interaction_id = h.id
        order by h.id, e.seq`,
      [opts.interactionId ?? after, batchSize],
    );
    if (rows.length === 0) break;
    const heads: Head[] = [];
    const byInteraction = new Map<string, Row[]>();
    for (const r of rows) {
      if (heads[heads.length - 1]?.id !== r.head_id) heads.push({ id: r.head_id, evidence_seq: r.evidence_seq, evidence_head: r.evidence_head });
      if (r.id === null) continue;
      const list = byInteraction.get(r.head_id) ?? [];
      list.push(r);
      byInteraction.set(r.head_id, list);
    }
    for (const h of heads) {
      const events = byInteraction.get(h.id) ?? [];
      report.interactions += 1;
      report.events += events.length;
      const broken = checkChain(h, events);
      if (broken) report.broken.push(broken);
    }
    opts.onProgress?.(report.interactions);
    if (opts.interactionId || heads.length < batchSize) break;
    after = heads[heads.length - 1]?.id ?? after;
  }
  return report;
};
