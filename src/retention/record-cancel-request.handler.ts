import type { Db } from '../db/pool.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { findPolicies } from '../policies/find-policies.js';
import { newId } from '../shared/ids.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { cancelRequestJob } from '../jobs/contracts/cancel-request.job.js';

/**
 * Records that a customer asked to cancel a policy (once per call or text) for the
 * retention team; a caller is routed to a person in the same call, a texter offered a call back. A
 * request needs a policy that is not cancelled already: the IVR does not ask
 * for one otherwise, and this keeps a late or stray job from recording one.
 * The retention flow with offers builds on these rows.
 */
export const createRecordCancelRequestHandler =
  (deps: { db: Db; now: () => Date }): JobHandler<typeof cancelRequestJob> =>
  async (job) => {
    const p = job.payload;
    if (!p.policyId) return { evidence: [notRecorded(p.policyId, 'no-policy')] };
    const [policy] = await findPolicies(deps.db, { ids: [p.policyId] });
    if (policy?.status === 'cancelled') return { evidence: [notRecorded(p.policyId, 'already-cancelled')] };
    // An unknown policy records nothing (requestId null), as does a second job for the same call.
    const r = policy ? await deps.db.query<{ id: string }>(
      `insert into cancellation_requests (id, policy_id, policyholder_id, channel, source_ref, requested_at)
       values ($1, $2, $3, $4, $5, $6) on conflict (channel, source_ref) do nothing returning id`,
      [newId(), p.policyId, p.policyholderId, p.channel, p.callSid, deps.now()],
    ) : null;
    return { evidence: [{ type: EvidenceType.RETENTION_CANCEL_REQUESTED, payload: { requestId: r?.rows[0]?.id ?? null, policyId: p.policyId } }] };
  };

const notRecorded = (policyId: string | null, why: 'no-policy' | 'already-cancelled') => ({
  type: EvidenceType.RETENTION_CANCEL_REQUESTED,
  payload: { requestId: null, policyId, notRecorded: why },
});
