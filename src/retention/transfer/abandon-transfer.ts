import { EvidenceType } from '../../evidence/evidence-event.js';
import { outboxRow } from '../../jobs/outbox-rows.js';
import { recordTransferStep } from './record-transfer-step.js';
import { abandonTransferJob } from './transfer-jobs.js';
import type { TransferWebDeps } from './transfer-deps.js';
import { moveTransfer, type Transfer } from './transfer-store.js';

/**
 * The caller left the hold (hung up) before any specialist accepted: the transfer is abandoned, once,
 * however many of its signals arrive (the conference's leave or end, the Dial action), and a job hangs
 * up whoever is still being rung. Returns whether this call abandoned it.
 */
export const abandonTransfer = async (deps: TransferWebDeps, t: Transfer, signal: string): Promise<boolean> =>
  recordTransferStep(deps, t, async (client) => {
    const now = deps.clock.now();
    if (!(await moveTransfer(client, t.id, ['ringing'], 'abandoned', now))) return { step: null, value: false };
    const waitedSeconds = Math.round((now.getTime() - t.requestedAt.getTime()) / 1000);
    return {
      value: true,
      step: {
        evidence: [{ type: EvidenceType.TRANSFER_OUTCOME, providerRef: t.callerCallSid, payload: { transferId: t.id, outcome: 'abandoned', signal, waitedSeconds } }],
        outbox: [outboxRow(abandonTransferJob, { transferId: t.id }, { runAt: now, correlation: `transfer:${t.id}` })],
      },
    };
  });
