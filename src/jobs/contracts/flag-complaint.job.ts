import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/** A caller says the policy was mis-sold: the policy carries an open complaint until a specialist resolves it. */
export const flagComplaintJob = defineJob({
  topic: 'retention.flag-complaint',
  version: 1,
  payload: z.object({
    policyId: z.string(),
    policyholderId: z.string(),
    callSid: z.string().min(1),
    channel: z.enum(['ivr', 'sms']),
  }),
});
