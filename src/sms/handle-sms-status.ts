import { appendEvidence } from '../evidence/append-evidence.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import { findInteractionId } from '../evidence/interactions.js';
import { toE164 } from '../shared/webhook-edge/to-e164.js';
import { webhookReceived } from '../evidence/webhook-received.js';
import { recordWebhookOnce } from '../turns/record-webhook-once.js';
import type { SmsDeps } from './sms-deps.js';
import { advanceSmsStatus } from './sms-messages.js';
import { classifyDeliveryError } from './classify-delivery-error.js';
import { recordConsent } from '../consent/record-consent.js';
import { interactionOfOutboxRow } from '../jobs/interaction-of-outbox-row.js';
import type { SmsStatusParams } from './sms-params.js';
import type { RefusedText } from '../shared/webhook-edge/clean-text.js';

/**
 * Delivery status of a message we sent: the text's state in sms_messages moves only forward, and
 * each distinct callback (MessageSid, status) is recorded once as evidence on the interaction the
 * text was sent for (a call's receipt, a thread's reply); late or repeated callbacks change nothing.
 * A failure carries its class (classifyDeliveryError); an unsubscribed recipient (21610) is opted out.
 */
export const handleSmsStatus = async (
  { params, outboxId, path, refused }: { params: SmsStatusParams; outboxId: string | null; path: string; refused?: readonly RefusedText[] },
  deps: SmsDeps,
) => {
  if (!(await recordWebhookOnce(deps.db, `sms-status:${params.MessageSid}:${params.MessageStatus}`, deps.clock.now()))) return;
  const to = params.To ? (toE164(params.To) ?? params.To) : null;
  const from = params.From ? (toE164(params.From) ?? params.From) : null;
  // why: Twilio's error codes are small integers; anything else ("1e309", "99999999999") is kept in the evidence only.
  const errorCode = params.ErrorCode && /^\d{1,9}$/.test(params.ErrorCode) ? Number(params.ErrorCode) : null;
  // why: the callback may come before the sender recorded the text; the outbox id in its URL names the interaction.
  const sentFor = outboxId ? await interactionOfOutboxRow(deps.db, outboxId) : null;
  const known = await advanceSmsStatus(deps.db, {
    providerSid: params.MessageSid, status: params.MessageStatus, errorCode, at: deps.clock.now(), interactionId: sentFor, to, from,
  });
  const failed = ['undelivered', 'failed'].includes(params.MessageStatus) ? classifyDeliveryError(errorCode) : null;
  // why: a carrier may report the unsubscribed recipient only on delivery; it is an opt-out like STOP, at once, everywhere.
  const optOut = failed?.failure === 'opted-out' && to
    ? { phone: to, channel: 'sms' as const, granted: false, source: `carrier-error:${errorCode}`, at: deps.clock.now() }
    : null;
  const optedOut = optOut ? await recordConsent(deps.db, { ...optOut, policyholderId: null }) : false;
  // A text sent without an outbox id (before the ledger existed): our number to the customer's, so the thread is keyed customer:ours.
  const id = known.interactionId ?? (await findInteractionId(deps.db, 'sms-thread', `${to}:${from}`));
  if (!id) return;
  await appendEvidence(deps.db, deps.clock, id, [
    webhookReceived(path, params, { refused, providerRef: params.MessageSid }),
    {
      type: EvidenceType.SMS_STATUS,
      providerRef: params.MessageSid,
      // `moved`: whether the text's state moved forward (false for a late callback).
      payload: { status: params.MessageStatus, errorCode: params.ErrorCode ?? null, moved: known.moved, ...(failed ? failed : {}) },
    },
    ...(optOut && optedOut ? [{ type: EvidenceType.CONSENT_CHANGED, providerRef: params.MessageSid, payload: { ...optOut, at: optOut.at.toISOString() } }] : []),
  ]);
};
