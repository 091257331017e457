import type { Db } from '../db/pool.js';
import type { OutboxHandler } from '../jobs/outbox-worker.js';
import { newId } from '../shared/ids.js';

export const CANCEL_REQUEST_TOPIC = 'retention.cancel-request';

/**
 * Records that a caller asked to cancel (once per call) for the retention
 * team; the caller is routed to a person in the same call. The retention flow
 * with offers builds on these rows.
 */
export const createRecordCancelRequestHandler =
  (deps: { db: Db; now: () => Date }): OutboxHandler =>
  async (job) => {
    const p = job.payload as { policyId: string | null; policyholderId: string | null; callSid: string };
    const r = await deps.db.query<{ id: string }>(
      `insert into cancellation_requests (id, policy_id, policyholder_id, channel, source_ref, requested_at)
       values ($1, $2, $3, 'ivr', $4, $5) on conflict (channel, source_ref) do nothing returning id`,
      [newId(), p.policyId, p.policyholderId, p.callSid, deps.now()],
    );
    return { evidence: [{ type: 'retention.cancel-requested', payload: { requestId: r.rows[0]?.id ?? null, policyId: p.policyId } }] };
  };
