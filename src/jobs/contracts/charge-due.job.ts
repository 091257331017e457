import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/**
 * The charge a caller asked for, run off the voice turn: the due, the card <Pay> tokenized (absent
 * or null: the card on file) and the call waiting on the outcome. `channel` is written by the IVR
 * flow and kept as stored; the charge is always an IVR one.
 */
export const chargeDueJob = defineJob({
  topic: 'payments.charge-due',
  version: 1,
  payload: z.object({
    dueId: z.string().min(1),
    paymentMethodId: z.string().nullish(),
    channel: z.literal('ivr').optional(),
    callSid: z.string().min(1),
  }),
});
