import { EvidenceType } from '../../evidence/evidence-event.js';
import type { JobHandler } from '../../jobs/job-registry.js';
import type { abandonTransferJob } from './transfer-jobs.js';
import { findTransfer, legsOf, moveLeg, OPEN_LEG } from './transfer-store.js';
import type { TransferWorkerDeps } from './transfer-worker-deps.js';

/** The caller hung up on hold: any specialist still being rung (or hearing the whisper) is hung up, and the leg cancelled. */
export const createAbandonTransferHandler =
  (deps: Pick<TransferWorkerDeps, 'db' | 'clock' | 'calls'>): JobHandler<typeof abandonTransferJob> =>
  async (job) => {
    const now = deps.clock.now();
    const t = await findTransfer(deps.db, { id: job.payload.transferId });
    if (!t) return { evidence: [] };
    const cancelled: string[] = [];
    for (const leg of await legsOf(deps.db, t.id)) {
      if (!OPEN_LEG.includes(leg.status)) continue;
      if (leg.callSid) await deps.calls.hangup(leg.callSid);
      if (await moveLeg(deps.db, leg.id, OPEN_LEG, 'cancelled', now)) cancelled.push(leg.id);
    }
    return {
      evidence: cancelled.map((legId) => ({
        type: EvidenceType.TRANSFER_LEG, providerRef: t.callerCallSid, payload: { transferId: t.id, legId, status: 'cancelled', signal: 'caller hung up on hold' },
      })),
    };
  };
