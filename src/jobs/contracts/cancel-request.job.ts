import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/**
 * A customer asked to cancel a policy; recorded once per call or text (`callSid`: the CallSid, or
 * the MessageSid of the text) for the retention team. Version 2 adds `channel` (absent: 'ivr', as
 * every version-1 row was).
 */
export const cancelRequestJob = defineJob({
  topic: 'retention.cancel-request',
  version: 2,
  payload: z.object({
    policyId: z.string().nullable(),
    policyholderId: z.string().nullable(),
    callSid: z.string().min(1),
    channel: z.enum(['ivr', 'sms']).default('ivr'),
  }),
});
