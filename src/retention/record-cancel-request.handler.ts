import type { Db } from '../db/pool.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { newId } from '../shared/ids.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { cancelRequestJob } from './cancel-request.job.js';

/**
 * Records that a caller asked to cancel a policy (once per call) for the
 * retention team; the caller is routed to a person in the same call. A
 * request needs a policy that is not cancelled already: the IVR does not ask
 * for one otherwise, and this keeps a late or stray job from recording one.
 * The retention flow with offers builds on these rows.
 */
export const createRecordCancelRequestHandler =
  (deps: { db: Db; now: () => Date }): JobHandler<typeof cancelRequestJob> =>
  async (job) => {
    const p = job.payload;
    if (!p.policyId) return { evidence: [notRecorded(p.policyId, 'no-policy')] };
    const r = await deps.db.query<{ id: string | null; cancelled: boolean }>(
      `with ins as (
         insert into cancellation_requests (id, policy_id, policyholder_id, channel, source_ref, requested_at)
         select $1, $2, $3, 'ivr', $4, $5 from policies where id = $2 and status <> 'cancelled'
         on conflict (channel, source_ref) do nothing returning id)
       select (select id from ins) as id, exists (select 1 from policies where id = $2 and status = 'cancelled') as cancelled`,
      [newId(), p.policyId, p.policyholderId, p.callSid, deps.now()],
    );
    const row = r.rows[0]!;
    if (row.cancelled) return { evidence: [notRecorded(p.policyId, 'already-cancelled')] };
    return { evidence: [{ type: EvidenceType.RETENTION_CANCEL_REQUESTED, payload: { requestId: row.id, policyId: p.policyId } }] };
  };

const notRecorded = (policyId: string | null, why: 'no-policy' | 'already-cancelled') => ({
  type: EvidenceType.RETENTION_CANCEL_REQUESTED,
  payload: { requestId: null, policyId, notRecorded: why },
});
