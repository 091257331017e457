import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/** An outbound text, sent only if the number consented; `from` defaults to the gateway's number. */
export const sendSmsJob = defineJob({
  topic: 'sms.send',
  version: 1,
  payload: z.object({ to: z.string().min(1), body: z.string().min(1), from: z.string().min(1).optional() }),
});
