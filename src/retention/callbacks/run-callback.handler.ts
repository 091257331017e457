import { EvidenceType } from '../../evidence/evidence-event.js';
import type { JobHandler } from '../../jobs/job-registry.js';
import { outboxRow } from '../../jobs/outbox-rows.js';
import { ringNextJob } from '../transfer/transfer-jobs.js';
import { createTransfer, findTransfer, type Transfer } from '../transfer/transfer-store.js';
import type { TransferWorkerDeps } from '../transfer/transfer-worker-deps.js';
import type { runCallbackJob } from './callback-jobs.js';
import { beginAttempt, findCallback } from './callback-store.js';

/** An attempt's key: it names the attempt's transfer (its "caller" is the callback) once per attempt. */
export const attemptRef = (callbackId: string, attempt: number) => `callback-${callbackId}-${attempt}`;

/**
 * A booked callback's time has come (or its retry's): the attempt is counted, once, and made as a
 * transfer the other way round: specialists are rung first, one at a time as for a caller on hold (the
 * customer's language first), each hearing who is to be called and why; the one who accepts dials the
 * customer. The specialist's screen shows what the customer did in the call that booked it. A callback
 * no longer open (reached, missed, cancelled) or an attempt already superseded does nothing.
 */
export const createRunCallbackHandler =
  (deps: Pick<TransferWorkerDeps, 'db' | 'clock'>): JobHandler<typeof runCallbackJob> =>
  async (job) => {
    const { callbackId, attempt } = job.payload;
    const now = deps.clock.now();
    const cb = await findCallback(deps.db, callbackId);
    if (!cb || cb.status !== 'open') return { evidence: [] };
    if (!(await beginAttempt(deps.db, callbackId, attempt)) && cb.attempts !== attempt) return { evidence: [] };
    const booking = cb.sourceRef ? await findTransfer(deps.db, { callerCallSid: cb.sourceRef }) : null;
    const context: Transfer['context'] = booking?.context ?? { reason: null, offersMade: [], offersDeclined: [] };
    const ref = attemptRef(callbackId, attempt);
    // why: a re-run (the first crashed before completing) finds the transfer made and queues its ring again: only the completing run's rows are written.
    const { transfer } = await createTransfer(deps.db, {
      callerCallSid: ref, flow: 'callback', conferenceName: ref, callbackId, policyId: cb.policyId, policyholderId: cb.policyholderId,
      callerPhone: cb.phone, locale: cb.locale, reason: cb.reason, priority: cb.reason === 'mis-selling', context, requestedAt: now,
    });
    return {
      evidence: [{
        type: EvidenceType.CALLBACK_ATTEMPT, providerRef: ref,
        payload: { callbackId, attempt, transferId: transfer.id, slotAt: cb.slotAt?.toISOString() ?? null, reason: cb.reason, locale: cb.locale },
      }],
      outbox: [outboxRow(ringNextJob, { transferId: transfer.id }, { runAt: now, correlation: `transfer:${transfer.id}` })],
    };
  };
