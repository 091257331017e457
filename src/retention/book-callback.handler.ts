import type { Db } from '../db/pool.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { newId } from '../shared/ids.js';
import type { SmsCatalog } from '../sms/sms-catalog.js';
import { sendConsentedSms, type ConsentedSmsDeps } from '../sms/send-consented-sms.js';
import type { bookCallbackJob } from '../jobs/contracts/book-callback.job.js';

/**
 * Books the callback a caller asked for outside business hours (once per
 * call) and confirms it by SMS when the number consented to texts.
 */
export const createBookCallbackHandler =
  (deps: ConsentedSmsDeps & { db: Db; smsCatalog: SmsCatalog; insurerName: string; now: () => Date }): JobHandler<typeof bookCallbackJob> =>
  async (job) => {
    const p = job.payload;
    // why: the row comes back when it already existed too, so a run killed between booking and texting can be finished.
    const { rows: [booked] } = await deps.db.query<{ id: string; fresh: boolean }>(
      `insert into callback_requests (id, phone_e164, policyholder_id, policy_id, reason, locale, source_ref, requested_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)
       on conflict (source_ref) do update set source_ref = excluded.source_ref returning id, (xmax = 0) as fresh`,
      [newId(), p.phone, p.policyholderId, p.policyId, p.reason, p.locale, p.callSid, deps.now()],
    );
    // A booking this job did not make (another request of the same call) is not texted twice.
    if (!booked!.fresh && !(await job.markStarted())) return { evidence: [{ type: 'callback.already-booked', payload: { callSid: p.callSid } }] };
    const sms = await sendConsentedSms(deps, {
      to: p.phone,
      body: deps.smsCatalog.text(p.locale, 'callbackBooked', { insurer: deps.insurerName }),
      job,
    });
    return { evidence: [{ type: 'callback.booked', payload: { callbackId: booked!.id, reason: p.reason } }, ...sms] };
  };
