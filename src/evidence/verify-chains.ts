import type { Db } from '../db/pool.js';
import { canonicalJsonb } from './canonical-jsonb.js';
import { GENESIS_HASH, hashEnvelopeWith } from './hash-chain.js';
import { isoOf, withSnapshot, type RawRow } from './snapshot-scan.js';

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

// why: only the columns the hash and the checks use; times as Postgres prints them in UTC (see isoOf).
const CHAINS_SQL = (heads: string, limit: number) => `
  with heads as (select id, evidence_seq, evidence_head from interactions
                  where ${heads} order by id limit ${limit})
  select h.id, h.evidence_seq, h.evidence_head, e.id, e.seq, e.type, e.schema_version, e.provider_ref,
         e.provider_time, e.received_at,
         e.payload, e.prev_hash, e.hash
    from heads h left join evidence_events e on e.interaction_id = h.id
   order by h.id, e.seq`;

/**
 * Walks rows ordered by interaction and seq, recomputing every hash; records
 * the first broken link of each interaction (later events of a broken chain
 * are not re-reported) and whether the chain ends at the stored head.
 */
class ChainChecker {
  readonly report: VerifyReport = { interactions: 0, events: 0, broken: [] };
  private id: string | null = null;
  private head: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH };
  private prev = GENESIS_HASH;
  private expectedSeq = 0;
  private lastSeq: number | null = null;
  private broken = false;

  row(r: RawRow): void {
    const id = r[0]!;
    if (id !== this.id) {
      this.finish();
      this.id = id;
      this.head = { seq: Number(r[1]), hash: r[2]! };
      this.prev = GENESIS_HASH;
      this.expectedSeq = 0;
      this.lastSeq = null;
      this.broken = false;
      this.report.interactions += 1;
    }
    const eventId = r[3];
    if (eventId === null || eventId === undefined) return;
    this.report.events += 1;
    if (this.broken) return;
    const seq = Number(r[4]);
    const type = r[5]!;
    this.lastSeq = seq;
    const reason =
      seq !== this.expectedSeq
        ? `sequence jumps from ${this.expectedSeq - 1} to ${seq}: event(s) missing`
        : r[11] !== this.prev
          ? 'previous-hash link does not match the event before it'
          : this.recompute(id, seq, type, r) !== r[12]
            ? 'content does not match its hash: the event was altered'
            : null;
    if (reason !== null) {
      this.broken = true;
      this.report.broken.push({ interactionId: id, eventId, seq, type, reason });
      return;
    }
    const recomputed = r[12]!;
    this.prev = recomputed;
    this.expectedSeq += 1;
  }

  private recompute(id: string, seq: number, type: string, r: RawRow): string {
    const pt = r[8];
    const envelope = {
      interactionId: id, seq, type, schemaVersion: Number(r[6]), providerRef: r[7] ?? null,
      providerTime: pt === null || pt === undefined ? null : isoOf(pt), receivedAt: isoOf(r[9]!),
    };
    return hashEnvelopeWith(this.prev, envelope, canonicalJsonb(r[10]!));
  }

  /** Closes the current interaction: its chain must end exactly at the stored head. */
  finish(): void {
    if (this.id === null || this.broken) return;
    const { seq, hash } = this.head;
    if (seq === this.expectedSeq && hash === this.prev) return;
    this.report.broken.push({
      interactionId: this.id, eventId: null, seq: this.expectedSeq, type: null,
      reason:
        seq > this.expectedSeq
          ? `chain ends at seq ${this.expectedSeq - 1} but ${seq} events were recorded: the tail was removed`
          : `chain head does not match the last event${this.lastSeq !== null ? ` (seq ${this.lastSeq})` : ''}`,
    });
  }
}

/**
 * Re-checks every interaction's chain (or one interaction's) from one
 * snapshot, in keyset batches of `batchSize` interactions, each streamed
 * (COPY) and hashed row by row while Postgres writes the next rows; memory is
 * what the socket buffers hold.
 */
export const verifyChains = async (db: Db, opts: { interactionId?: string; batchSize?: number } = {}): Promise<VerifyReport> => {
  const batchSize = opts.batchSize ?? 2_000;
  const checker = new ChainChecker();
  await withSnapshot(db, async ({ query, copy, literal }) => {
    if (opts.interactionId !== undefined) {
      await copy(CHAINS_SQL(`id = ${literal(opts.interactionId)}`, 1), (r) => checker.row(r));
      checker.finish();
      return;
    }
    let after: string | null = '00000000-0000-0000-0000-000000000000';
    while (after !== null) {
      // why: a batch holds whole interactions; fewer distinct heads than asked for means the end.
      let heads = 0;
      let last: string = after;
      await copy(CHAINS_SQL(`id > ${literal(after)}`, batchSize), (r) => {
        if (r[0] !== last) {
          last = r[0]!;
          heads += 1;
        }
        checker.row(r);
      });
      after = heads < batchSize ? null : last;
    }
    // Events no interaction claims: the walk above starts from interactions, so it cannot meet them.
    const orphans = await query(
      `select e.interaction_id, e.id, e.seq, e.type from evidence_events e
        where not exists (select 1 from interactions i where i.id = e.interaction_id)
        order by e.interaction_id, e.seq limit 100`,
      [],
    );
    checker.finish();
    for (const [interactionId, eventId, seq, type] of orphans) {
      checker.report.broken.push({
        interactionId: interactionId!, eventId: eventId!, seq: Number(seq), type: type!,
        reason: 'the event belongs to no recorded interaction (inserted bypassing the gateway)',
      });
    }
  });
  return checker.report;
};
