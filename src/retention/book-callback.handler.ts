import type { Db } from '../db/pool.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { newId } from '../shared/ids.js';
import type { BusinessHours } from '../shared/business-hours.js';
import type { SmsCatalog } from '../sms/sms-catalog.js';
import { sendSmsJob } from '../jobs/contracts/send-sms.job.js';
import { outboxRow } from '../jobs/outbox-rows.js';
import type { bookCallbackJob } from '../jobs/contracts/book-callback.job.js';
import { listSpecialists } from './list-specialists.js';
import { chooseCallbackSlot, type SlotRules } from './callbacks/choose-callback-slot.js';
import { bookedSlots, setSlot } from './callbacks/callback-store.js';
import { formatSlot } from './callbacks/format-slot.js';
import { runCallbackJob } from './callbacks/callback-jobs.js';

export type BookCallbackDeps = {
  db: Db;
  smsCatalog: SmsCatalog;
  insurerName: string;
  now: () => Date;
  /** BUSINESS_HOURS: the hours of a specialist without their own. */
  defaultHours: BusinessHours;
  /** The insurer's zone: the time the confirmation text says. */
  homeZone: string;
  slotRules?: SlotRules;
};

/**
 * Books the callback a caller asked for (once per call or text): the first slot a specialist is on
 * shift for, queues the job that makes it then, and queues the confirmation text saying when (a reply,
 * through the contact engine), all once: by the run of the job that booked it, when that run completes.
 * With no specialist on shift in the coming days the text says "during business hours" and the
 * callback waits, open, for a person to take it.
 */
export const createBookCallbackHandler =
  (deps: BookCallbackDeps): JobHandler<typeof bookCallbackJob> =>
  async (job) => {
    const p = job.payload;
    const now = deps.now();
    // why: the row comes back when it already existed too; `mine` tells a re-run of the booking job from another job of the same call.
    const { rows: [booked] } = await deps.db.query<{ id: string; mine: boolean }>(
      `insert into callback_requests (id, phone_e164, policyholder_id, policy_id, reason, locale, source_ref, requested_at, booked_by_job, interaction_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (source_ref) do update set source_ref = excluded.source_ref returning id, booked_by_job = $9 as mine`,
      [newId(), p.phone, p.policyholderId, p.policyId, p.reason, p.locale, p.callSid, now, job.id, job.interactionId],
    );
    if (!booked!.mine) return { evidence: [{ type: 'callback.already-booked', payload: { callSid: p.callSid } }] };
    const slot = chooseCallbackSlot(await listSpecialists(deps.db, { activeOnly: true }), {
      now, callerLocale: p.locale, booked: await bookedSlots(deps.db, now), defaultHours: deps.defaultHours, ...(deps.slotRules ? { rules: deps.slotRules } : {}),
    });
    await setSlot(deps.db, booked!.id, slot);
    const body = slot
      ? deps.smsCatalog.text(p.locale, 'callbackSlot', { insurer: deps.insurerName, when: formatSlot(slot, p.locale, deps.homeZone) })
      : deps.smsCatalog.text(p.locale, 'callbackBooked', { insurer: deps.insurerName });
    const text = outboxRow(sendSmsJob, {
      to: p.phone, body, kind: 'transactional', purpose: 'callback-booked', replyToInbound: true, policyholderId: p.policyholderId,
    }, { runAt: now });
    const run = slot ? [outboxRow(runCallbackJob, { callbackId: booked!.id, attempt: 1 }, { runAt: slot, correlation: `callback:${booked!.id}` })] : [];
    return {
      evidence: [{ type: 'callback.booked', payload: { callbackId: booked!.id, reason: p.reason, slotAt: slot?.toISOString() ?? null } }],
      outbox: [text, ...run],
    };
  };
