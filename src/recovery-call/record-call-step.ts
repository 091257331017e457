import { withTransaction, type DbClient } from '../db/pool.js';
import { appendEvidenceInTx } from '../evidence/append-in-transaction.js';
import type { EvidenceDraft } from '../evidence/evidence-event.js';
import { ensureInteraction } from '../evidence/interactions.js';
import { insertOutboxSql, outboxParams, type OutboxRow } from '../jobs/outbox-rows.js';
import type { RecoveryCallWebDeps } from './recovery-call-deps.js';
import type { RecoveryCallRef } from './recovery-call-paths.js';
import { markKeyed, saveRecoveryCall } from './recovery-call-store.js';

/** A recovery call as its webhooks know it: the call, what its URLs say, and the two numbers (theirs, ours). */
export type RecoveryCallParty = { callSid: string; ref: RecoveryCallRef; to: string | null; from: string | null; policyId: string | null };

/** What one step of a recovery call did: evidence on the call's chain, jobs to queue, and whether a key was pressed (a person is there). */
export type RecoveryCallStep = { evidence: EvidenceDraft[]; outbox?: OutboxRow[]; keyed?: boolean };

/**
 * Runs one step of a recovery call in one transaction: the call's row and its outbound `call`
 * interaction (each made once, whichever request comes first), the state changes `decide` makes, the
 * evidence and jobs it returns; the jobs are handed to the worker after commit. A failure writes nothing.
 */
export const recordCallStep = async <T>(
  deps: Pick<RecoveryCallWebDeps, 'db' | 'clock' | 'dispatch'>,
  call: RecoveryCallParty,
  decide: (client: DbClient) => Promise<{ step: RecoveryCallStep; value: T }>,
): Promise<T> => {
  const now = deps.clock.now();
  const { value, outbox } = await withTransaction(deps.db, async (client) => {
    await saveRecoveryCall(client, call, now);
    const interactionId = await ensureInteraction(client, {
      kind: 'call', providerRef: call.callSid, status: 'in-progress', direction: 'outbound', from: call.from, to: call.to, policyId: call.policyId,
    }, now);
    const { step, value } = await decide(client);
    if (step.keyed) await markKeyed(client, call.callSid);
    if (step.evidence.length > 0) await appendEvidenceInTx(client, interactionId, step.evidence, now);
    const rows = step.outbox ?? [];
    if (rows.length > 0) await client.query(insertOutboxSql(1, 7), [...outboxParams(rows, interactionId), now]);
    return { value, outbox: rows };
  });
  if (outbox.length > 0) deps.dispatch(outbox);
  return value;
};
