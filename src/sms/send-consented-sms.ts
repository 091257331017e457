import { findSmsConsents } from '../consent/find-sms-consents.js';
import type { Db } from '../db/pool.js';
import { EvidenceType, type EvidenceDraft } from '../evidence/evidence-event.js';
import type { SmsSender } from '../telephony/sms-sender.js';

export type ConsentedSmsDeps = { db: Db; sender: SmsSender; defaultFrom: string; statusCallbackUrl: string };

/**
 * Sends one SMS only to a number that has consented to texts (TCPA); without
 * consent nothing is sent and the suppression is the evidence. Returns the
 * evidence to record either way. `consent`, when the caller read it already
 * with its own data a moment ago (the row's `granted`, or null for none),
 * saves reading it again. `markStarted` is the job's (OutboxJob.markStarted): when an earlier run
 * of the job may have sent the text, the carrier is asked first and the text is not sent again.
 */
export const sendConsentedSms = async (
  deps: ConsentedSmsDeps,
  m: { to: string; body: string; from?: string; consent?: { granted: boolean } | null; markStarted: () => Promise<Date | null> },
): Promise<EvidenceDraft[]> => {
  const recorded = m.consent !== undefined ? undefined : (await findSmsConsents(deps.db, [m.to])).get(m.to);
  const consent = m.consent !== undefined ? m.consent : recorded === undefined ? null : { granted: recorded };
  if (consent?.granted !== true) {
    return [{ type: EvidenceType.OUTBOUND_SUPPRESSED, payload: { channel: 'sms', to: m.to, reason: consent ? 'opted-out' : 'no-consent' } }];
  }
  const from = m.from ?? deps.defaultFrom;
  // why: a run killed after the carrier took the text, before we recorded it, must not send it twice.
  const earlier = await m.markStarted();
  const found = earlier ? await deps.sender.findSent({ to: m.to, from, body: m.body, since: earlier }) : null;
  const sent = found ?? (await deps.sender.send({ to: m.to, from, body: m.body, statusCallback: deps.statusCallbackUrl }));
  return [
    {
      type: EvidenceType.OUTBOUND_SENT,
      providerRef: sent.providerId,
      payload: {
        channel: 'sms', to: m.to, from, body: m.body, providerId: sent.providerId, status: sent.status,
        ...(found ? { foundSentBy: 'an earlier run' } : {}),
      },
    },
  ];
};
