import { z } from 'zod';
import { defineJob } from '../job-definition.js';
import { retentionCaseFields } from './apply-offer.job.js';

/**
 * A customer cancelled a policy: cover ends on `effectiveDate`, open dues are voided, what is owed
 * back is refunded through the payments port (pro-rata, or in full within the free-look period or
 * for a mis-selling complaint), and a text confirms it. Once per call (`callSid`).
 */
export const cancelPolicyJob = defineJob({
  topic: 'retention.cancel-policy',
  version: 1,
  payload: z.object({
    ...retentionCaseFields,
    effectiveDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    ground: z.enum(['cancellation', 'mis-selling']),
    declined: z.array(z.string()),
  }),
});
