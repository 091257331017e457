import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import type { EvidenceDraft } from './evidence-event.js';
import type { ExtraWrites } from './append-in-transaction.js';
import { chainDrafts, emptyEvidenceColumns, EVIDENCE_PARAMS, evidenceParams, insertEvidenceSql, type ChainHead } from './chain-rows.js';
import { moveHeadSql, readChainHead } from './interactions.js';

const MAX_TRIES = 20;

/** Postgres unique_violation: another writer took this sequence number first. */
export const isUniqueViolation = (e: unknown, constraint?: string): boolean => {
  const err = e as { code?: string; constraint?: string };
  return err?.code === '23505' && (constraint === undefined || err.constraint === constraint);
};

/** A one-statement write found the data moved on (GW409), or lost a deadlock or serialization race: safe to redo. */
export const isRetryableConflict = (e: unknown): boolean => {
  const code = (e as { code?: string })?.code;
  return code === 'GW409' || code === '40P01' || code === '40001';
};

/**
 * Writes made in the same statement as an optimistic append (ExtraWrites), one of whose CTEs,
 * named by `gate` (an `update ... returning` or `insert ... returning`), decides: the events are
 * written if and only if it returned a row, so the write and its evidence commit together or not at all.
 */
export type GatedWrites = ExtraWrites & { gate: string };

/** Parameters of the append statement itself: the evidence columns ($1..$11), then the head move ($12..$15). */
const OWN_PARAMS = EVIDENCE_PARAMS + 4;

/**
 * Appends events to an interaction's chain outside a flow turn (status
 * callbacks, workers). One statement first moves the head, if it is still
 * where we read it (that row lock orders every writer of the chain, flow
 * turns included), then inserts the rows; if the head moved, nothing is
 * written and we retry on the new head.
 *
 * `head`, when the caller read it already (with the row it works on), saves
 * the first read; a stale one costs a retry, nothing else. With `extra`,
 * another write goes in the same statement and gates the events (see
 * GatedWrites); returns whether the gate let them in (always true without one).
 */
export const appendEvidence = async (
  db: Db,
  clock: Clock,
  interactionId: string,
  drafts: readonly EvidenceDraft[],
  opts: { head?: ChainHead | null; extra?: GatedWrites } = {},
): Promise<boolean> => {
  const also = opts.extra;
  if (drafts.length === 0 && !also) return true;
  let known = opts.head ?? null;
  for (let attempt = 1; ; attempt++) {
    const head = known ?? (await readChainHead(db, interactionId));
    if (!head) throw new Error(`evidence: unknown interaction ${interactionId}`);
    known = null;
    const cols = emptyEvidenceColumns();
    const next = chainDrafts(interactionId, head, drafts, clock.now(), cols);
    try {
      // why: when the gate passed but the head moved, gw_assert aborts the whole statement (the gated
      // write included), so the write never commits without its evidence; we retry on the new head.
      const r = await db.query<{ moved: number; gate: number }>(
        `with ${also ? `${also.with(OWN_PARAMS + 1)},` : ''}
              h as (${moveHeadSql(EVIDENCE_PARAMS + 1, { fromSeq: true, ...(also ? { where: `exists (select 1 from ${also.gate})` } : {}) })}),
              ev as (${insertEvidenceSql(1, 'where exists (select 1 from h)')} returning 1)
         select (select count(*) from h)::int as moved, ${also ? `(select count(*) from ${also.gate})::int` : '1'} as gate,
                ${also ? `gw_assert(not exists (select 1 from ${also.gate}) or exists (select 1 from h), 'evidence head moved')` : 'true'} as ok`,
        [...evidenceParams(cols), next.seq, next.hash, interactionId, head.seq, ...(also?.values ?? [])],
      );
      const row = r.rows[0];
      if (row && (row.moved === 1 || row.gate === 0)) return row.gate > 0;
    } catch (e) {
      if (!(isUniqueViolation(e) || isRetryableConflict(e))) throw e;
    }
    if (attempt >= MAX_TRIES) throw new Error(`evidence: interaction ${interactionId} head kept moving`);
  }
};
