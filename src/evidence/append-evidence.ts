import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import type { EvidenceDraft } from './evidence-event.js';
import { chainDrafts, emptyEvidenceColumns, evidenceParams, insertEvidenceSql } from './chain-rows.js';

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
 * Appends events to an interaction's chain outside a flow turn (status
 * callbacks, workers). One statement first moves the head, if it is still
 * where we read it (that row lock orders every writer of the chain, flow
 * turns included), then inserts the rows; if the head moved, nothing is
 * written and we retry on the new head.
 */
export const appendEvidence = async (
  db: Db,
  clock: Clock,
  interactionId: string,
  drafts: readonly EvidenceDraft[],
): Promise<void> => {
  if (drafts.length === 0) return;
  for (let attempt = 1; ; attempt++) {
    const head = await db.query<{ evidence_seq: number; evidence_head: string }>(
      'select evidence_seq, evidence_head from interactions where id = $1',
      [interactionId],
    );
    const row = head.rows[0];
    if (!row) throw new Error(`evidence: unknown interaction ${interactionId}`);
    const cols = emptyEvidenceColumns();
    const next = chainDrafts(interactionId, { seq: row.evidence_seq, hash: row.evidence_head }, drafts, clock.now(), cols);
    try {
      const r = await db.query<{ moved: number }>(
        `with h as (update interactions set evidence_seq = $12, evidence_head = $13
                     where id = $14 and evidence_seq = $15 returning id),
              ev as (${insertEvidenceSql(1, 'where exists (select 1 from h)')} returning 1)
         select (select count(*) from h)::int as moved, (select count(*) from ev)::int as inserted`,
        [...evidenceParams(cols), next.seq, next.hash, interactionId, row.evidence_seq],
      );
      if (r.rows[0]?.moved === 1) return;
    } catch (e) {
      if (!(isUniqueViolation(e) || isRetryableConflict(e))) throw e;
    }
    if (attempt >= MAX_TRIES) throw new Error(`evidence: interaction ${interactionId} head kept moving`);
  }
};
