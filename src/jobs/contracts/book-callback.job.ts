import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/** A callback a caller asked for outside business hours; `callSid` makes it once per call. */
export const bookCallbackJob = defineJob({
  topic: 'callbacks.book',
  version: 1,
  payload: z.object({
    phone: z.string().min(1),
    policyholderId: z.string().nullable(),
    policyId: z.string().nullable(),
    reason: z.string().min(1),
    locale: z.enum(['en-US', 'es-US']),
    callSid: z.string().min(1),
  }),
});
