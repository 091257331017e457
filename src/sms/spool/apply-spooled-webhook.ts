import type { InboundSmsParams, SmsStatusParams } from '../sms-params.js';
import { handleInboundSms } from '../handle-inbound-sms.js';
import { handleSmsStatus } from '../handle-sms-status.js';
import type { SmsDeps } from '../sms-deps.js';
import type { SpooledWebhook } from './webhook-spool.js';

/**
 * Applies a webhook spooled while Postgres was down, as if it had been applied when it came: the
 * turn's clock reads the time it was received, so a consent change carries that time. Idempotent
 * (deduplicated by MessageSid, and MessageSid + status for callbacks): a second apply changes nothing.
 * The reply a turn renders now is not sent (the texter was answered when the webhook came).
 */
export const applySpooledWebhook = async (w: SpooledWebhook, deps: SmsDeps): Promise<void> => {
  const at = new Date(w.receivedAt);
  const then = { ...deps, clock: { now: () => at }, sessions: undefined, batcher: undefined };
  if (w.kind === 'inbound-sms') {
    await handleInboundSms({ params: w.params as InboundSmsParams, path: w.path }, then);
  } else {
    await handleSmsStatus({ params: w.params as SmsStatusParams, outboxId: w.outboxId, path: w.path }, then);
  }
};
