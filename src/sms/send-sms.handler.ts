import type { OutboxHandler } from '../jobs/outbox-worker.js';
import { sendConsentedSms, type ConsentedSmsDeps } from './send-consented-sms.js';

/** Outbox topic of an outbound text; payload `{ to, body, from? }`. */
export const SEND_SMS_TOPIC = 'sms.send';

/** Sends one outbound SMS if the number consented; the provider's id goes into the evidence. */
export const createSendSmsHandler =
  (deps: ConsentedSmsDeps): OutboxHandler =>
  async (job) => ({
    evidence: await sendConsentedSms(deps, {
      to: String(job.payload.to ?? ''),
      body: String(job.payload.body ?? ''),
      ...(typeof job.payload.from === 'string' ? { from: job.payload.from } : {}),
    }),
  });
