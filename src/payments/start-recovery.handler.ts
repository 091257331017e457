import { withTransaction } from '../db/pool.js';
import type { JobHandler } from '../jobs/job-registry.js';
import type { Clock } from '../shared/clock.js';
import type { Db } from '../db/pool.js';
import { appendEvidenceInTx } from '../evidence/append-in-transaction.js';
import { PaymentEvidence } from './payment-evidence.js';
import type { startRecoveryJob } from './payment-jobs.js';
import { lockDue, paymentInteractionOf } from './lock-due.js';

/**
 * Handler of `recovery.start` (startRecoveryJob): an
 * off-session payment failed. Marks the due `failed` if it is still open and
 * records `recovery.requested`; a due paid meanwhile is left alone (and this
 * job was normally cancelled by that payment). The recovery schedule itself
 * (SMS, calls, retries) is a later issue and hangs off this event.
 */
export const createStartRecoveryHandler =
  (deps: { db: Db; clock: Clock }): JobHandler<typeof startRecoveryJob> =>
  async (job) => {
    const { dueId } = job.payload;
    await withTransaction(deps.db, async (client) => {
      const now = deps.clock.now();
      const due = await lockDue(client, dueId);
      if (!due) return;
      const marked = due.status === 'open'
        ? (await client.query(`update premium_dues set status = 'failed' where id = $1 and status = 'open'`, [dueId])).rowCount === 1
        : false;
      const interactionId = await paymentInteractionOf(client, due, now);
      await appendEvidenceInTx(client, interactionId, [{
        type: PaymentEvidence.RECOVERY_REQUESTED,
        payload: { dueId, declineClass: job.payload.declineClass ?? null, attemptId: job.payload.attemptId ?? null, outboxId: job.id,
          dueStatus: marked ? 'failed' : due.status },
      }], now);
    });
  };
