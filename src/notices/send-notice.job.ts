import { z } from 'zod';
import { defineJob } from '../jobs/job-definition.js';
import { NOTICE_KINDS } from './notice-kinds.js';

/**
 * Send one proactive notice (src/notices): ids only, the handler reads the facts when it runs, so
 * a notice says what is true then (a due paid meanwhile is not reminded). Queued by the notices
 * API and the daily due-reminder scheduler, both in this domain; a domain queueing it from
 * elsewhere moves this definition to src/jobs/contracts/.
 */
export const sendNoticeJob = defineJob({
  topic: 'notices.send',
  version: 1,
  payload: z.object({
    notice: z.enum(NOTICE_KINDS),
    policyId: z.uuid(),
    dueId: z.uuid().optional(),
    batchId: z.uuid().optional(),
  }),
});
