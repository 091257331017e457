import { findSmsConsents } from '../consent/find-sms-consents.js';
import type { Db } from '../db/pool.js';
import { EvidenceType, type EvidenceDraft } from '../evidence/evidence-event.js';
import { recordConsent } from '../consent/record-consent.js';
import { countSegments } from '../telephony/count-segments.js';
import type { OutboxJob } from '../jobs/outbox-worker.js';
import { recordSentSms } from './sms-messages.js';
import { CarrierRefusedError, UNSUBSCRIBED_RECIPIENT, type SmsSender } from '../telephony/sms-sender.js';

/** The outbox job a text is sent by. */
export type SendingJob = Pick<OutboxJob, 'id' | 'interactionId' | 'markStarted'>;

export type ConsentedSmsDeps = { db: Db; sender: SmsSender; defaultFrom: string; statusCallbackUrl: string; now: () => Date };

/**
 * A text the carrier refused for good is not retried: it is recorded as failed with the carrier's
 * code. "Unsubscribed" (the number replied STOP to this sender, possibly before we knew it) is an
 * opt-out like any other: the consent registry records it at once, for every flow and number.
 */
const refused = async (deps: ConsentedSmsDeps, to: string, from: string, err: CarrierRefusedError): Promise<EvidenceDraft[]> => {
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
 * Sends one SMS only to a number that has consented to texts (TCPA); without
 * consent nothing is sent and the suppression is the evidence. Returns the
 * evidence to record either way. `consent`, when the caller read it already
 * with its own data a moment ago (the row's `granted`, or null for none),
 * saves reading it again. `job` is the outbox job sending it: when an earlier run of the job may
 * have sent the text (OutboxJob.markStarted), the carrier is asked first and the text is not sent
 * again; the text is recorded in sms_messages under the job's interaction, for its delivery status.
 */
export const sendConsentedSms = async (
  deps: ConsentedSmsDeps,
  m: { to: string; body: string; from?: string; consent?: { granted: boolean } | null; job: SendingJob },
): Promise<EvidenceDraft[]> => {
  const recorded = m.consent !== undefined ? undefined : (await findSmsConsents(deps.db, [m.to])).get(m.to);
  const consent = m.consent !== undefined ? m.consent : recorded === undefined ? null : { granted: recorded };
  if (consent?.granted !== true) {
    return [{ type: EvidenceType.OUTBOUND_SUPPRESSED, payload: { channel: 'sms', to: m.to, reason: consent ? 'opted-out' : 'no-consent' } }];
  }
  const from = m.from ?? deps.defaultFrom;
  const counted = countSegments(m.body);
  // why: a run killed after the carrier took the text, before we recorded it, must not send it twice.
  const earlier = await m.job.markStarted();
  const found = earlier ? await deps.sender.findSent({ to: m.to, from, body: m.body, since: earlier }) : null;
  let sent;
  try {
    sent = found ?? (await deps.sender.send({ to: m.to, from, body: m.body, statusCallback: `${deps.statusCallbackUrl}?o=${m.job.id}` }));
  } catch (err) {
    if (err instanceof CarrierRefusedError) return refused(deps, m.to, from, err);
    throw err;
  }
  await recordSentSms(deps.db, {
    providerSid: sent.providerId, interactionId: m.job.interactionId, outboxId: m.job.id, to: m.to, from, counted, status: sent.status, at: deps.now(),
  });
  return [
    {
      type: EvidenceType.OUTBOUND_SENT,
      providerRef: sent.providerId,
      payload: {
        channel: 'sms', to: m.to, from, body: m.body, providerId: sent.providerId, status: sent.status,
        encoding: counted.encoding, segments: counted.segments,
        ...(found ? { foundSentBy: 'an earlier run' } : {}),
      },
    },
  ];
};
