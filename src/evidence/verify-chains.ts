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
    const heads = opts.interactionId
      ? await db.query<Head>('select id, evidence_seq, evidence_head from interactions where id = $1', [opts.interactionId])
      : await db.query<Head>(
          'select id, evidence_seq, evidence_head from interactions where id > $1 order by id limit $2',
          [after, batchSize],
        );
    if (heads.rows.length === 0) break;
    const ids = heads.rows.map((h) => h.id);
    const events = await db.query<Row>(
      `select id, interaction_id, seq, type, schema_version, provider_ref, provider_time, received_at, payload,
              prev_hash, hash
         from evidence_events where interaction_id = any($1::uuid[]) order by interaction_id, seq`,
      [ids],
    );
    const byInteraction = new Map<string, Row[]>();
    for (const e of events.rows) {
      const list = byInteraction.get(e.interaction_id) ?? [];
      list.push(e);
      byInteraction.set(e.interaction_id, list);
    }
    for (const h of heads.rows) {
      const rows = byInteraction.get(h.id) ?? [];
      report.interactions += 1;
      report.events += rows.length;
      const broken = checkChain(h, rows);
      if (broken) report.broken.push(broken);
    }
    opts.onProgress?.(report.interactions);
    if (opts.interactionId || heads.rows.length < batchSize) break;
    after = ids[ids.length - 1] ?? after;
  }
  return report;
};
