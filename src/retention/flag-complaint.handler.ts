import type { Db } from '../db/pool.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { flagComplaintJob } from '../jobs/contracts/flag-complaint.job.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { openComplaint } from '../policies/change-policy-terms.js';

/** A mis-selling complaint: the policy carries it (from its first report) until a specialist resolves it. */
export const createFlagComplaintHandler =
  (deps: { db: Db; now: () => Date }): JobHandler<typeof flagComplaintJob> =>
  async (job) => {
    const p = job.payload;
    const openedAt = await openComplaint(deps.db, p.policyId, deps.now());
    return { evidence: [{ type: EvidenceType.RETENTION_COMPLAINT_OPENED, payload: { policyId: p.policyId, channel: p.channel, openedAt: openedAt?.toISOString() ?? null } }] };
  };
