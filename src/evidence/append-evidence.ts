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

/**
 * Appends events to an interaction's chain outside a flow turn (status
 * callbacks, payment webhooks, workers). One statement inserts the rows and
 * moves the head; the unique (interaction_id, seq) key makes a concurrent
 * writer fail instead of forking the chain, and we retry on the new head.
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
      await db.query(
        `with ev as (${insertEvidenceSql(1)} returning 1)
         update interactions set evidence_seq = $12, evidence_head = $13
          where id = $14 and evidence_seq = $15 and (select count(*) from ev) = $16`,
        [...evidenceParams(cols), next.seq, next.hash, interactionId, row.evidence_seq, drafts.length],
      );
      return;
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= MAX_TRIES) throw e;
    }
  }
};
