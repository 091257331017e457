import type { DbClient } from '../db/pool.js';
import { appendEvidenceInTx, appendOnLockedHead, type ExtraWrites, type LockedHead } from '../evidence/append-in-transaction.js';
import type { EvidenceDraft } from '../evidence/evidence-event.js';
import { insertOutboxSql, outboxParams, type OutboxRow } from '../jobs/outbox-rows.js';
import type { LockedDue } from './lock-due.js';

export type SettleContext = {
  client: DbClient;
  now: Date;
  interactionId: string;
  /** The chain head of `interactionId` when this transaction holds it locked (see settleContext); moved by appendInContext. */
  head?: LockedHead | null;
  /**
   * Set by a caller that writes the settlement's evidence and outbox rows itself, in its own last
   * statement (flushSettlement): appendInContext and writeOutbox then collect instead of writing.
   */
  deferred?: { drafts: EvidenceDraft[]; outbox: OutboxRow[] };
  /** How long a settled charge's own receipt has before the settlement's fallback sends it (default 60 s). */
  receiptFallbackMs?: number;
};

/** A context for settling a locked due on its payment chain, starting from the head lockDue read, when it is that chain's. */
export const settleContext = (
  client: DbClient, now: Date, due: LockedDue, interactionId: string, opts: { defer?: boolean; receiptFallbackMs?: number | undefined } = {},
): SettleContext => ({
  client, now, interactionId,
  head: due.payment_interaction_id === interactionId && due.payment_seq !== null && due.payment_hash !== null
    ? { interactionId, seq: due.payment_seq, hash: due.payment_hash }
    : null,
  ...(opts.defer ? { deferred: { drafts: [], outbox: [] } } : {}),
  ...(opts.receiptFallbackMs !== undefined ? { receiptFallbackMs: opts.receiptFallbackMs } : {}),
});

/**
 * Appends to the context's chain: on the locked head when the context holds it (no statement to
 * read it), else reading it under a lock. Every append of a settling transaction goes through here,
 * so the held head never goes stale (a stale one would fail on the chain's unique sequence).
 */
export const appendInContext = async (ctx: SettleContext, drafts: readonly EvidenceDraft[], also?: ExtraWrites): Promise<void> => {
  if (drafts.length === 0 && !also) return;
  if (ctx.deferred && !also) {
    ctx.deferred.drafts.push(...drafts);
    return;
  }
  if (ctx.head && ctx.head.interactionId === ctx.interactionId) {
    ctx.head = await appendOnLockedHead(ctx.client, ctx.head, drafts, ctx.now, also);
    return;
  }
  ctx.head = await appendEvidenceInTx(ctx.client, ctx.interactionId, drafts, ctx.now, also);
};

/** Writes outbox rows in the transaction; the caller dispatches them after commit. */
export const writeOutbox = async (ctx: SettleContext, rows: OutboxRow[]): Promise<void> => {
  if (rows.length === 0) return;
  if (ctx.deferred) {
    ctx.deferred.outbox.push(...rows);
    return;
  }
  await ctx.client.query(insertOutboxSql(1, 7), [...outboxParams(rows, ctx.interactionId), ctx.now]);
};

/**
 * Writes what a deferring context collected (its evidence, then its outbox rows) and the caller's
 * own last write (`also`: named data-modifying CTEs, see ExtraWrites), all in one statement.
 */
export const flushSettlement = async (ctx: SettleContext, also: ExtraWrites): Promise<void> => {
  const collected = ctx.deferred ?? { drafts: [], outbox: [] };
  delete ctx.deferred;
  let extra = also;
  if (collected.outbox.length > 0) {
    const n = also.values.length;
    extra = {
      with: (first) => `${also.with(first)}, ob as (${insertOutboxSql(first + n, first + n + 6)})`,
      values: [...also.values, ...outboxParams(collected.outbox, ctx.interactionId), ctx.now],
    };
  }
  await appendInContext(ctx, collected.drafts, extra);
};
