import { withTransaction, type DbClient } from '../../db/pool.js';
import { appendEvidenceInTx } from '../../evidence/append-in-transaction.js';
import type { EvidenceDraft } from '../../evidence/evidence-event.js';
import { findInteractionId } from '../../evidence/interactions.js';
import { insertOutboxSql, outboxParams, type OutboxRow } from '../../jobs/outbox-rows.js';
import type { TransferWebDeps } from './transfer-deps.js';
import type { Transfer } from './transfer-store.js';
import { callbackInteractionId } from '../callbacks/callback-store.js';

/** What one step of a transfer did: evidence on the caller's call, and jobs to queue. */
export type TransferStep = { evidence: EvidenceDraft[]; outbox?: OutboxRow[] };

/**
 * Runs one step of a transfer (the state changes `decide` makes) in a transaction with its evidence,
 * appended to the caller's call (every leg's story is on the call it served; a callback's attempts on
 * the callback), and its jobs, which are handed to the worker after commit. `decide` returns null when
 * there is nothing to record.
 */
export const recordTransferStep = async <T>(
  deps: TransferWebDeps,
  t: Pick<Transfer, 'flow' | 'callerCallSid' | 'callbackId'>,
  decide: (client: DbClient) => Promise<{ step: TransferStep | null; value: T }>,
): Promise<T> => {
  const now = deps.clock.now();
  const { value, outbox } = await withTransaction(deps.db, async (client) => {
    const { step, value } = await decide(client);
    if (!step) return { value, outbox: [] as OutboxRow[] };
    const interactionId = await (t.flow === 'callback' && t.callbackId
      ? callbackInteractionId(client, t.callbackId)
      : findInteractionId(client, 'call', t.callerCallSid));
    if (interactionId && step.evidence.length > 0) await appendEvidenceInTx(client, interactionId, step.evidence, now);
    const rows = step.outbox ?? [];
    if (rows.length > 0) await client.query(insertOutboxSql(1, 7), [...outboxParams(rows, interactionId), now]);
    return { value, outbox: rows };
  });
  if (outbox.length > 0) deps.dispatch(outbox);
  return value;
};
