import { EvidenceType } from '../../evidence/evidence-event.js';
import type { JobHandler } from '../../jobs/job-registry.js';
import { outboxRow } from '../../jobs/outbox-rows.js';
import { ringNextJob, type ringTimeoutJob } from './transfer-jobs.js';
import { findLeg, findTransfer, moveLeg, OPEN_LEG } from './transfer-store.js';
import type { TransferWorkerDeps } from './transfer-worker-deps.js';

/**
 * A specialist rung for a transfer has not accepted by the leg's deadline (a status callback lost, a
 * whisper left unanswered): the leg is passed over as no answer, their phone hung up, and the next
 * specialist rung. A leg that already ended or was accepted is left as it is.
 */
export const createRingTimeoutHandler =
  (deps: Pick<TransferWorkerDeps, 'db' | 'clock' | 'calls'>): JobHandler<typeof ringTimeoutJob> =>
  async (job) => {
    const now = deps.clock.now();
    const leg = await findLeg(deps.db, job.payload.legId);
    if (!leg || !OPEN_LEG.includes(leg.status)) return { evidence: [] };
    if (!(await moveLeg(deps.db, leg.id, OPEN_LEG, 'no-answer', now))) return { evidence: [] };
    if (leg.callSid) await deps.calls.hangup(leg.callSid);
    const t = await findTransfer(deps.db, { id: leg.transferId });
    return {
      evidence: [{ type: EvidenceType.TRANSFER_LEG, providerRef: t?.callerCallSid ?? null, payload: { transferId: leg.transferId, legId: leg.id, specialistId: leg.specialistId, status: 'no-answer', signal: 'deadline', was: leg.status } }],
      outbox: [outboxRow(ringNextJob, { transferId: leg.transferId }, { runAt: now, correlation: `transfer:${leg.transferId}` })],
    };
  };
