import { z } from 'zod';
import { defineJob } from '../../jobs/job-definition.js';

/** Ring the next specialist for a transfer still waiting (after a decline, no answer or busy), or release the caller. */
export const ringNextJob = defineJob({
  topic: 'transfer.ring-next',
  version: 1,
  payload: z.object({ transferId: z.string().uuid() }),
});

/** A rung specialist who has not accepted by now is passed over: the leg is hung up and the next one rung. */
export const ringTimeoutJob = defineJob({
  topic: 'transfer.ring-timeout',
  version: 1,
  payload: z.object({ legId: z.string().uuid() }),
});

/** The caller hung up on hold: any specialist still ringing is hung up. */
export const abandonTransferJob = defineJob({
  topic: 'transfer.abandon',
  version: 1,
  payload: z.object({ transferId: z.string().uuid() }),
});
