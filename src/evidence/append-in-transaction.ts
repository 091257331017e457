import type { DbClient } from '../db/pool.js';
import { chainDrafts, emptyEvidenceColumns, EVIDENCE_PARAMS, evidenceParams, insertEvidenceSql } from './chain-rows.js';
import { moveHeadSql, readChainHead } from './interactions.js';
import type { EvidenceDraft } from './evidence-event.js';

/** An interaction's chain head, read under a row lock this transaction holds. */
export type LockedHead = { interactionId: string; seq: number; hash: string };

/**
 * Writes made in the same statement as an append, so they and their evidence are one round trip and
 * commit together: data-modifying CTEs the caller names (`name as (...)`, comma-separated). `with`
 * is given the number of the first parameter left to it and writes `values` as `$first`,
 * `$first + 1`, ...: the append's own parameters come first and stay this module's business.
 */
export type ExtraWrites = { with: (first: number) => string; values: unknown[] };

/** Parameters of the append statement itself: the evidence columns ($1..$11), the new seq, hash and the interaction ($12..$14). */
const OWN_PARAMS = EVIDENCE_PARAMS + 3;

/**
 * Appends events inside the caller's transaction: the interaction row is
 * locked first, so the evidence commits or rolls back with the state change
 * it describes and concurrent writers queue instead of forking the chain.
 * `extra` adds writes to the same statement (see appendOnLockedHead). Returns
 * the new head, which this transaction now holds locked.
 */
export const appendEvidenceInTx = async (
  client: DbClient,
  interactionId: string,
  drafts: readonly EvidenceDraft[],
  at: Date,
  extra?: ExtraWrites,
): Promise<LockedHead | null> => {
  if (drafts.length === 0 && !extra) return null;
  const head = await readChainHead(client, interactionId, { lock: true });
  if (!head) throw new Error(`evidence: unknown interaction ${interactionId}`);
  return appendOnLockedHead(client, { interactionId, ...head }, drafts, at, extra);
};

/**
 * Appends events on a head this transaction holds locked (read `for no key update`
 * by the caller's own statement), so no statement is spent reading it; `extra`
 * adds the caller's writes to the same statement. Returns the new head.
 */
export const appendOnLockedHead = async (
  client: DbClient,
  head: LockedHead,
  drafts: readonly EvidenceDraft[],
  at: Date,
  extra?: ExtraWrites,
): Promise<LockedHead> => {
  const cols = emptyEvidenceColumns();
  const next = chainDrafts(head.interactionId, head, drafts, at, cols);
  await client.query(
    `with h as (${moveHeadSql(EVIDENCE_PARAMS + 1)})${extra ? `, ${extra.with(OWN_PARAMS + 1)}` : ''}
     ${insertEvidenceSql(1)}`,
    [...evidenceParams(cols), next.seq, next.hash, head.interactionId, ...(extra?.values ?? [])],
  );
  return { interactionId: head.interactionId, ...next };
};
