import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/** A due's recovery has a step (or its close) due now: load the due's facts and wake its flow (WAKE). */
export const recoveryWakeJob = defineJob({
  topic: 'recovery.wake',
  version: 1,
  payload: z.object({ dueId: z.string().min(1) }),
});
