import { appendEvidence } from '../evidence/append-evidence.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import { findInteractionId } from '../evidence/interactions.js';
import { toE164 } from '../shared/webhook-edge/to-e164.js';
import { webhookReceived } from '../evidence/webhook-received.js';
import { recordWebhookOnce } from '../turns/record-webhook-once.js';
import type { SmsDeps } from './sms-deps.js';
import type { SmsStatusParams } from './sms-params.js';
import type { RefusedText } from '../shared/webhook-edge/clean-text.js';

/**
 * Delivery status of a message we sent. Recorded once per (MessageSid, status)
 * on the thread's interaction; late or repeated callbacks change nothing.
 */
export const handleSmsStatus = async ({ params, path, refused }: { params: SmsStatusParams; path: string; refused?: readonly RefusedText[] }, deps: SmsDeps) => {
  if (!(await recordWebhookOnce(deps.db, `sms-status:${params.MessageSid}:${params.MessageStatus}`, deps.clock.now()))) return;
  const to = params.To ? (toE164(params.To) ?? params.To) : null;
  const from = params.From ? (toE164(params.From) ?? params.From) : null;
  // Our message went From our number To the customer: the thread is keyed customer:ours.
  const id = await findInteractionId(deps.db, 'sms-thread', `${to}:${from}`);
  if (!id) return;
  await appendEvidence(deps.db, deps.clock, id, [
    webhookReceived(path, params, { refused, providerRef: params.MessageSid }),
    {
      type: EvidenceType.SMS_STATUS,
      providerRef: params.MessageSid,
      payload: { status: params.MessageStatus, errorCode: params.ErrorCode ?? null },
    },
  ]);
};
