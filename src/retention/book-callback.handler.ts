import type { Db } from '../db/pool.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { newId } from '../shared/ids.js';
import type { SmsCatalog } from '../sms/sms-catalog.js';
import { sendSmsJob } from '../jobs/contracts/send-sms.job.js';
import { outboxRow } from '../jobs/outbox-rows.js';
import type { bookCallbackJob } from '../jobs/contracts/book-callback.job.js';

/**
 * Books the callback a caller asked for outside business hours (once per call) and queues its
 * confirmation text (a reply to the call, through the contact engine), queued once: by the run of
 * the job that booked it, when that run completes.
 */
export const createBookCallbackHandler =
  (deps: { db: Db; smsCatalog: SmsCatalog; insurerName: string; now: () => Date }): JobHandler<typeof bookCallbackJob> =>
  async (job) => {
    const p = job.payload;
    // why: the row comes back when it already existed too; `mine` tells a re-run of the booking job from another job of the same call.
    const { rows: [booked] } = await deps.db.query<{ id: string; mine: boolean }>(
      `insert into callback_requests (id, phone_e164, policyholder_id, policy_id, reason, locale, source_ref, requested_at, booked_by_job)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       on conflict (source_ref) do update set source_ref = excluded.source_ref returning id, booked_by_job = $9 as mine`,
      [newId(), p.phone, p.policyholderId, p.policyId, p.reason, p.locale, p.callSid, deps.now(), job.id],
    );
    if (!booked!.mine) return { evidence: [{ type: 'callback.already-booked', payload: { callSid: p.callSid } }] };
    const text = outboxRow(sendSmsJob, {
      to: p.phone,
      body: deps.smsCatalog.text(p.locale, 'callbackBooked', { insurer: deps.insurerName }),
      kind: 'transactional', purpose: 'callback-booked', replyToInbound: true, policyholderId: p.policyholderId,
    }, { runAt: deps.now() });
    return { evidence: [{ type: 'callback.booked', payload: { callbackId: booked!.id, reason: p.reason } }], outbox: [text] };
  };
