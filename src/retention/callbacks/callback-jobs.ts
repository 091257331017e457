import { z } from 'zod';
import { defineJob } from '../../jobs/job-definition.js';

/** A booked callback's slot has come (attempt 1), or its retry's (attempt 2): ring a specialist for it. */
export const runCallbackJob = defineJob({
  topic: 'callbacks.run',
  version: 1,
  payload: z.object({ callbackId: z.string().uuid(), attempt: z.number().int().min(1).max(2) }),
});

