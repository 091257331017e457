import type { Db } from '../db/pool.js';
import { EvidenceType, type EvidenceDraft } from '../evidence/evidence-event.js';
import { recordConsent } from '../consent/record-consent.js';
import type { SendingJob } from '../jobs/outbox-worker.js';
import { countSegments } from '../telephony/count-segments.js';
import { recordSentSms } from './sms-messages.js';
import { CarrierRefusedError, UNSUBSCRIBED_RECIPIENT, type SmsSender } from '../telephony/sms-sender.js';

export type DeliverSmsDeps = { db: Db; sender: SmsSender; statusCallbackUrl: string; now: () => Date };

/** What a delivery came to: its evidence, and whether the carrier took the text (false: refused for good). */
export type SmsDelivery = { evidence: EvidenceDraft[]; delivered: boolean };

/**
 * A text the carrier refused for good is not retried: it is recorded as failed with the carrier's
 * code. "Unsubscribed" (the number replied STOP to this sender, possibly before we knew it) is an
 * opt-out like any other: the consent registry records it at once, for every flow and number.
 */
const refused = async (deps: DeliverSmsDeps, to: string, from: string, err: CarrierRefusedError): Promise<EvidenceDraft[]> => {
  const failed: EvidenceDraft = {
    type: EvidenceType.OUTBOUND_FAILED,
    payload: { channel: 'sms', to, from, errorCode: err.code, reason: err.message, retried: false },
  };
  if (err.code !== UNSUBSCRIBED_RECIPIENT) return [failed];
  const consent = { phone: to, channel: 'sms' as const, granted: false, source: `carrier-error:${err.code}`, at: deps.now() };
  const changed = await recordConsent(deps.db, { ...consent, policyholderId: null });
  return changed ? [failed, { type: EvidenceType.CONSENT_CHANGED, payload: { ...consent, at: consent.at.toISOString() } }] : [failed];
};

/**
 * Hands one text to the carrier, once: the contact engine (src/contact) decided it may go, and is
 * the only caller. When an earlier run of the same outbox job may have sent it (markStarted), the
 * carrier is asked first and the text is not sent again. The text is recorded in sms_messages
 * under the job's interaction, for its delivery status; `annotate` joins the sent evidence (why it
 * was allowed: kind, purpose, the recipient's zones).
 */
export const deliverSms = async (
  deps: DeliverSmsDeps,
  m: { to: string; from: string; body: string; job: SendingJob; annotate?: Record<string, unknown>; mediaUrls?: readonly string[] },
): Promise<SmsDelivery> => {
  const { to, from, body } = m;
  const counted = countSegments(body);
  // why: a run killed after the carrier took the text, before we recorded it, must not send it twice.
  const earlier = await m.job.markStarted();
  const found = earlier ? await deps.sender.findSent({ to, from, body, since: earlier }) : null;
  let sent;
  try {
    sent = found ?? (await deps.sender.send({
      to, from, body, statusCallback: `${deps.statusCallbackUrl}?o=${m.job.id}`, ...(m.mediaUrls?.length ? { mediaUrls: m.mediaUrls } : {}),
    }));
  } catch (err) {
    if (err instanceof CarrierRefusedError) return { evidence: await refused(deps, to, from, err), delivered: false };
    throw err;
  }
  await recordSentSms(deps.db, {
    providerSid: sent.providerId, interactionId: m.job.interactionId, outboxId: m.job.id, to, from, counted, status: sent.status, at: deps.now(),
  });
  return {
    delivered: true,
    evidence: [{
      type: EvidenceType.OUTBOUND_SENT,
      providerRef: sent.providerId,
      payload: {
        channel: 'sms', to, from, body, providerId: sent.providerId, status: sent.status,
        encoding: counted.encoding, segments: counted.segments,
        ...(m.mediaUrls?.length ? { mediaUrls: [...m.mediaUrls] } : {}),
        ...m.annotate,
        ...(found ? { foundSentBy: 'an earlier run' } : {}),
      },
    }],
  };
};
