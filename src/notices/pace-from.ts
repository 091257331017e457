import type { Db } from '../db/pool.js';
import { latestOpenRunAt } from '../jobs/find-outbox-states.js';
import { sendNoticeJob } from './send-notice.job.js';

/** Where a new batch's spread starts: now, or after the notices already planned (batches queue behind each other). */
export const paceFrom = async (db: Db, now: Date): Promise<Date> => {
  const planned = await latestOpenRunAt(db, sendNoticeJob.topic);
  return planned && planned > now ? new Date(planned.getTime() + 1) : now;
};
