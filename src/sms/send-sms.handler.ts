import type { Db } from '../db/pool.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { OutboxHandler } from '../jobs/outbox-worker.js';
import type { SmsSender } from '../telephony/sms-sender.js';

/** Outbox topic of an outbound text; payload `{ to, body, from? }`. */
export const SEND_SMS_TOPIC = 'sms.send';

/**
 * Sends one outbound SMS, only to a number that has consented to texts (TCPA):
 * without consent the message is suppressed and the suppression recorded.
 * The provider's message id goes into the evidence.
 */
export const createSendSmsHandler =
  (deps: { db: Db; sender: SmsSender; defaultFrom: string; statusCallbackUrl: string }): OutboxHandler =>
  async (job) => {
    const to = String(job.payload.to ?? '');
    const body = String(job.payload.body ?? '');
    const from = typeof job.payload.from === 'string' ? job.payload.from : deps.defaultFrom;
    const { rows } = await deps.db.query<{ granted: boolean }>(
      `select granted from consents where phone_e164 = $1 and channel = 'sms'`,
      [to],
    );
    if (rows[0]?.granted !== true) {
      return {
        evidence: [{ type: EvidenceType.OUTBOUND_SUPPRESSED, payload: { channel: 'sms', to, reason: rows[0] ? 'opted-out' : 'no-consent' } }],
      };
    }
    const sent = await deps.sender.send({ to, from, body, statusCallback: deps.statusCallbackUrl });
    return {
      evidence: [
        {
          type: EvidenceType.OUTBOUND_SENT,
          providerRef: sent.providerId,
          payload: { channel: 'sms', to, from, body, providerId: sent.providerId, status: sent.status },
        },
      ],
    };
  };
