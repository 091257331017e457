import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/**
 * A due's recovery is over: `paid` before cancellation (cancel what is still queued),
 * `reinstated` (paid within the window after cancellation: reinstate the policy, with evidence),
 * or `closed` (unpaid at the end of the window, or paid too late). `why` is for the record.
 */
export const recoveryFinishJob = defineJob({
  topic: 'recovery.finish',
  version: 1,
  payload: z.object({ dueId: z.string().min(1), outcome: z.enum(['paid', 'reinstated', 'closed']), why: z.string() }),
});
