import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import type { EvidenceDraft } from './evidence-event.js';
import { chainDrafts, emptyEvidenceColumns, evidenceParams, insertEvidenceSql, type ChainHead } from './chain-rows.js';

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

/** Another write made in the same statement as an append (see appendEvidence). */
export type AppendAlongside = {
  /** Data-modifying CTEs, their parameters numbered from $16 on; one of them is named by `gate`. */
  with: string;
  values: unknown[];
  /**
   * The CTE (an `update ... returning` or `insert ... returning`) whose rows decide: the events are
   * written if and only if it returned a row, in the same statement, so the write and its evidence
   * commit together or not at all.
   */
  gate: string;
};

/**
 * Appends events to an interaction's chain outside a flow turn (status
 * callbacks, workers). One statement first moves the head, if it is still
 * where we read it (that row lock orders every writer of the chain, flow
 * turns included), then inserts the rows; if the head moved, nothing is
 * written and we retry on the new head.
 *
 * `head`, when the caller read it already (with the row it works on), saves
 * the first read; a stale one costs a retry, nothing else. With `alongside`,
 * another write goes in the same statement and gates the events (see
 * AppendAlongside); returns whether the gate let them in (always true without one).
 */
export const appendEvidence = async (
  db: Db,
  clock: Clock,
  interactionId: string,
  drafts: readonly EvidenceDraft[],
  opts: { head?: ChainHead | null; alongside?: AppendAlongside } = {},
): Promise<boolean> => {
  const also = opts.alongside;
  if (drafts.length === 0 && !also) return true;
  let known = opts.head ?? null;
  for (let attempt = 1; ; attempt++) {
    const head = known ?? (await readHead(db, interactionId));
    known = null;
    const cols = emptyEvidenceColumns();
    const next = chainDrafts(interactionId, head, drafts, clock.now(), cols);
    const gated = also ? `and exists (select 1 from ${also.gate})` : '';
    try {
      // why: when the gate passed but the head moved, gw_assert aborts the whole statement (the gated
      // write included), so the write never commits without its evidence; we retry on the new head.
      const r = await db.query<{ moved: number; gate: number }>(
        `with ${also ? `${also.with},` : ''}
              h as (update interactions set evidence_seq = $12, evidence_head = $13
                     where id = $14 and evidence_seq = $15 ${gated} returning id),
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

const readHead = async (db: Db, interactionId: string): Promise<ChainHead> => {
  const { rows } = await db.query<{ evidence_seq: number; evidence_head: string }>(
    'select evidence_seq, evidence_head from interactions where id = $1',
    [interactionId],
  );
  const row = rows[0];
  if (!row) throw new Error(`evidence: unknown interaction ${interactionId}`);
  return { seq: row.evidence_seq, hash: row.evidence_head };
};
