import { EvidenceType } from '../../evidence/evidence-event.js';
import type { startTransferJob } from '../../jobs/contracts/start-transfer.job.js';
import type { JobHandler } from '../../jobs/job-registry.js';
import { outboxRow } from '../../jobs/outbox-rows.js';
import { ringNextJob } from './transfer-jobs.js';
import { conferenceNameOf } from './transfer-paths.js';
import { createTransfer } from './transfer-store.js';
import type { TransferWorkerDeps } from './transfer-worker-deps.js';

/**
 * A caller is on hold in their conference: the transfer is recorded (once per call, however often the
 * job runs) and the first specialist is rung by the job it queues.
 */
export const createStartTransferHandler =
  (deps: Pick<TransferWorkerDeps, 'db' | 'clock'>): JobHandler<typeof startTransferJob> =>
  async (job) => {
    const p = job.payload;
    const now = deps.clock.now();
    const { transfer, created } = await createTransfer(deps.db, {
      callerCallSid: p.callSid, flow: p.flow, conferenceName: conferenceNameOf(p.callSid), policyId: p.policyId, policyholderId: p.policyholderId,
      callerPhone: p.phone, locale: p.locale, reason: p.reason, priority: p.priority, context: p.context, requestedAt: now,
    });
    if (!created) return { evidence: [] };
    return {
      evidence: [{
        type: EvidenceType.TRANSFER_REQUESTED, providerRef: p.callSid,
        payload: { transferId: transfer.id, conference: transfer.conferenceName, reason: p.reason, priority: p.priority, locale: p.locale, context: p.context },
      }],
      outbox: [outboxRow(ringNextJob, { transferId: transfer.id }, { runAt: now, correlation: `transfer:${transfer.id}` })],
    };
  };
