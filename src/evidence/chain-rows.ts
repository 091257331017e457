import { newId } from '../shared/ids.js';
import type { EvidenceDraft } from './evidence-event.js';
import { hashEvent, toStorablePayload } from './hash-chain.js';

/** The head of an interaction's chain: the next sequence number and the last hash. */
export type ChainHead = { seq: number; hash: string };

/** Column arrays for one multi-row insert into evidence_events (unnest form). */
export type EvidenceColumns = {
  ids: string[];
  interactionIds: string[];
  seqs: number[];
  types: string[];
  schemaVersions: number[];
  providerRefs: (string | null)[];
  providerTimes: (Date | null)[];
  receivedAts: Date[];
  payloads: string[];
  prevHashes: string[];
  hashes: string[];
};

export const emptyEvidenceColumns = (): EvidenceColumns => ({
  ids: [], interactionIds: [], seqs: [], types: [], schemaVersions: [], providerRefs: [],
  providerTimes: [], receivedAts: [], payloads: [], prevHashes: [], hashes: [],
});

/**
 * Chains drafts onto `head` (pure apart from id generation) and appends the
 * rows to `cols`. Returns the new head. All events of one call share its
 * receive time order: seq is the order of receipt, as evidence.md §4.2 says.
 */
export const chainDrafts = (
  interactionId: string,
  head: ChainHead,
  drafts: readonly EvidenceDraft[],
  receivedAt: Date,
  cols: EvidenceColumns,
): ChainHead => {
  let { seq, hash } = head;
  for (const d of drafts) {
    const payload = toStorablePayload(d.payload);
    const schemaVersion = d.schemaVersion ?? 1;
    const providerRef = d.providerRef ?? null;
    const providerTime = d.providerTime && !Number.isNaN(d.providerTime.getTime()) ? d.providerTime : null;
    const next = hashEvent(hash, {
      interactionId, seq, type: d.type, schemaVersion, providerRef, providerTime, receivedAt, payload,
    });
    cols.ids.push(newId());
    cols.interactionIds.push(interactionId);
    cols.seqs.push(seq);
    cols.types.push(d.type);
    cols.schemaVersions.push(schemaVersion);
    cols.providerRefs.push(providerRef);
    cols.providerTimes.push(providerTime);
    cols.receivedAts.push(receivedAt);
    cols.payloads.push(JSON.stringify(payload));
    cols.prevHashes.push(hash);
    cols.hashes.push(next);
    seq += 1;
    hash = next;
  }
  return { seq, hash };
};

/**
 * SQL fragment inserting the rows of an EvidenceColumns bound at parameters
 * $p..$p+10, optionally gated by a `where` clause. Used alone and inside a turn's single commit statement.
 */
export const insertEvidenceSql = (p: number, where = ''): string => `
  insert into evidence_events
    (id, interaction_id, seq, type, schema_version, provider_ref, provider_time, received_at, payload, prev_hash, hash)
  select * from unnest($${p}::uuid[], $${p + 1}::uuid[], $${p + 2}::int[], $${p + 3}::text[], $${p + 4}::smallint[],
    $${p + 5}::text[], $${p + 6}::timestamptz[], $${p + 7}::timestamptz[], $${p + 8}::jsonb[], $${p + 9}::text[],
    $${p + 10}::text[]) ${where}`;

export const evidenceParams = (c: EvidenceColumns): unknown[] => [
  c.ids, c.interactionIds, c.seqs, c.types, c.schemaVersions, c.providerRefs, c.providerTimes,
  c.receivedAts, c.payloads, c.prevHashes, c.hashes,
];
