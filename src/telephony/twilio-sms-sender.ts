import { CarrierRefusedError, type SmsSender } from './sms-sender.js';
import type { TwilioClient } from './twilio-client.js';

/** How far Twilio's clock may be behind ours when matching an earlier run's text by its creation time. */
const CLOCK_SLACK_MS = 60_000;
/** How many of the newest texts between the two numbers are compared: a retry follows its first run within minutes. */
const LOOK_BACK = 50;
/** Twilio errors that refuse a text for good (https://www.twilio.com/docs/api/errors). */
const PERMANENT = new Set([21211, 21408, 21610, 21612, 21614]);

const refusal = (err: unknown): CarrierRefusedError | null => {
  const e = err as { code?: unknown; status?: unknown; message?: unknown };
  return typeof e?.code === 'number' && e.status === 400 && PERMANENT.has(e.code)
    ? new CarrierRefusedError(e.code, String(e.message ?? 'refused by the carrier'))
    : null;
};

export const createTwilioSmsSender = (client: TwilioClient): SmsSender => ({
  send: async ({ to, from, body, statusCallback, mediaUrls }) => {
    try {
      const m = await client.messages.create({
        to, from, body, ...(statusCallback ? { statusCallback } : {}), ...(mediaUrls?.length ? { mediaUrl: [...mediaUrls] } : {}),
      });
      return { providerId: m.sid, status: m.status };
    } catch (err) {
      throw refusal(err) ?? err;
    }
  },
  findSent: async ({ to, from, body, since }) => {
    // why: Messages can be filtered by To, From and DateSent, but a queued text has no DateSent yet: listed by number, matched by creation time.
    const recent = await client.messages.list({ to, from, limit: LOOK_BACK });
    const earliest = since.getTime() - CLOCK_SLACK_MS;
    const m = recent.find((x) => x.body === body && x.dateCreated.getTime() >= earliest);
    return m ? { providerId: m.sid, status: m.status } : null;
  },
});
