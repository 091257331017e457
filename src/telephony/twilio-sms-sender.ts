import type { SmsSender } from './sms-sender.js';
import type { TwilioClient } from './twilio-client.js';

export const createTwilioSmsSender = (client: TwilioClient): SmsSender => ({
  send: async ({ to, from, body, statusCallback }) => {
    const m = await client.messages.create({ to, from, body, ...(statusCallback ? { statusCallback } : {}) });
    return { providerId: m.sid, status: m.status };
  },
});
