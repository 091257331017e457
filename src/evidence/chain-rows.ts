import { newId } from '../shared/ids.js';
import { maskCardsIn } from '../shared/redact.js';
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
    // why: the last line of the no-card-data rule: whatever a writer forgot to redact, no card number is chained.
    const payload = toStorablePayload(maskCardsIn(d.payload) as EvidenceDraft['payload']);
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

// The evidence_events columns a write fills, with their parameter types: the one list every insert uses.
const COLUMNS = [
  ['id', 'uuid'], ['interaction_id', 'uuid'], ['seq', 'int'], ['type', 'text'], ['schema_version', 'smallint'],
  ['provider_ref', 'text'], ['provider_time', 'timestamptz'], ['received_at', 'timestamptz'], ['payload', 'jsonb'],
  ['prev_hash', 'text'], ['hash', 'text'],
] as const;
const NAMES = COLUMNS.map(([n]) => n).join(', ');
const unnestOf = (p: number) => COLUMNS.map(([, t], k) => `$${p + k}::${t}[]`).join(', ');

/** How many parameters an evidence insert binds (one more when its rows are tagged with their write). */
export const EVIDENCE_PARAMS = COLUMNS.length;

/**
 * SQL fragment inserting the rows of an EvidenceColumns bound at parameters
 * $p..$p+10, optionally gated by a `where` clause. Used alone and inside a single-statement write.
 */
export const insertEvidenceSql = (p: number, where = ''): string => `
  insert into evidence_events (${NAMES})
  select * from unnest(${unnestOf(p)}) ${where}`;

export const evidenceParams = (c: EvidenceColumns): unknown[] => [
  c.ids, c.interactionIds, c.seqs, c.types, c.schemaVersions, c.providerRefs, c.providerTimes,
  c.receivedAts, c.payloads, c.prevHashes, c.hashes,
];

/**
 * Evidence of several writes in one statement (a batch of turns): the rows of
 * `parts[i]` are tagged i, bound at $p..$p+11 (the tags last), and
 * insertTaggedEvidenceSql keeps the rows whose tag is in a CTE's column `i`.
 */
export const taggedEvidenceParams = (parts: readonly EvidenceColumns[]): unknown[] => {
  const all = emptyEvidenceColumns();
  const tags: number[] = [];
  parts.forEach((c, i) => {
    for (const [k, v] of Object.entries(c) as [keyof EvidenceColumns, unknown[]][]) (all[k] as unknown[]).push(...v);
    for (let n = 0; n < c.ids.length; n++) tags.push(i);
  });
  return [...evidenceParams(all), tags];
};

export const insertTaggedEvidenceSql = (p: number, keep: string): string => `
  insert into evidence_events (${NAMES})
  select ${NAMES} from unnest(${unnestOf(p)}, $${p + COLUMNS.length}::int[]) as e(${NAMES}, tag)
   where e.tag in (select i from ${keep})`;
