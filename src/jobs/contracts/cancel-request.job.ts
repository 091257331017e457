import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/** A caller asked to cancel a policy; recorded once per call (`callSid`) for the retention team. */
export const cancelRequestJob = defineJob({
  topic: 'retention.cancel-request',
  version: 1,
  payload: z.object({ policyId: z.string().nullable(), policyholderId: z.string().nullable(), callSid: z.string().min(1) }),
});
