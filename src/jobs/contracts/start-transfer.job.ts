import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/**
 * A caller waits in conference `transfer-<callSid>` for a specialist: record the transfer and ring
 * the first specialist. `flow` is whose turns the caller returns to when the wait ends; `context`
 * is what the caller did in this call (for the whisper and the screen pop).
 */
export const startTransferJob = defineJob({
  topic: 'transfer.start',
  version: 1,
  payload: z.object({
    callSid: z.string().min(1),
    flow: z.enum(['retention', 'ivr']),
    policyId: z.string().nullable(),
    policyholderId: z.string().nullable(),
    phone: z.string().min(1),
    locale: z.enum(['en-US', 'es-US']),
    reason: z.string().min(1),
    priority: z.boolean(),
    context: z.object({
      reason: z.string().nullable(),
      offersMade: z.array(z.string()),
      offersDeclined: z.array(z.string()),
    }),
  }),
});
