import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/** A secure pay link for a due, asked for by text: made (or the live one reused) and texted to `to` in `locale`. */
export const sendPayLinkJob = defineJob({
  topic: 'sms.send-pay-link',
  version: 1,
  payload: z.object({
    dueId: z.string().min(1),
    to: z.string().min(1),
    locale: z.enum(['en-US', 'es-US']),
    messageSid: z.string().min(1),
  }),
});
