import { appendEvidence } from '../evidence/append-evidence.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import { findInteractionId } from '../evidence/interactions.js';
import type { IvrDeps } from './ivr-deps.js';
import type { PayStatusParams } from './voice-params.js';
import { webhookReceived } from '../evidence/webhook-received.js';
import { recordWebhookOnce } from '../turns/record-webhook-once.js';
import type { RefusedText } from '../shared/webhook-edge/clean-text.js';

/**
 * <Pay> progress (which field the caller is entering, input errors, attempt
 * numbers): recorded once each on the call's evidence chain, masked. The
 * caller's outcome arrives on the Pay action, not here.
 */
export const handlePayStatus = async ({ params, path, refused }: { params: PayStatusParams; path: string; refused?: readonly RefusedText[] }, deps: IvrDeps) => {
  const key = `pay-status:${params.CallSid}:${params.Sid ?? ''}:${params.For ?? ''}:${params.ErrorType ?? ''}:${params.Attempt ?? ''}`;
  if (!(await recordWebhookOnce(deps.db, key, deps.clock.now()))) return;
  const id = await findInteractionId(deps.db, 'call', params.CallSid);
  if (!id) return;
  await appendEvidence(deps.db, deps.clock, id, [
    webhookReceived(path, params, { refused, providerRef: params.CallSid }),
    { type: EvidenceType.IVR_PAY_PROGRESS, providerRef: params.CallSid, payload: { for: params.For ?? null, errorType: params.ErrorType ?? null, attempt: params.Attempt ?? null } },
  ]);
};
