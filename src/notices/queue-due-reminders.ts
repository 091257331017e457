import type { OutboxRow } from '../jobs/outbox-rows.js';
import { findDuesAhead, findNoticeDues } from '../payments/find-notice-dues.js';
import { findPolicyRecipients } from '../policies/find-policy-recipients.js';
import { newId } from '../shared/ids.js';
import { toSupportedLocale } from '../shared/webhook-edge/supported-locale.js';
import { paceAtRate, policyProblem, type PlanDeps } from './plan-notice-batch.js';
import { paceFrom } from './pace-from.js';
import { queueNotices, type NoticeToQueue } from './queue-notices.js';
import { estimateNotice } from './render-notice.js';

/** What one daily run came to: the run's batch id, reminders queued, dues already reminded for that day, dues left out (no number, policy status). */
export type DueRemindersRun = { batchId: string; queued: number; alreadyQueued: number; leftOut: number };

/**
 * Queues the due reminder of every open due whose date is `daysAhead` days after today on its
 * holder's calendar (their zone, else the insurer's `homeZone`), in pages of `pageSize` dues, each page read in
 * three queries and written in one statement. Once per due and holder's day: a reminder already
 * queued for that due and day (an earlier run, another worker) is not queued again (notice_jobs'
 * unique index). The run's reminders share a batch id (GET /api/notices/:batchId) and are spread
 * over time at the sending number's rate, as an operator's batch is.
 */
export const queueDueReminders = async (
  deps: PlanDeps & { from: string; dispatch: (rows: OutboxRow[]) => void },
  o: { now: Date; daysAhead: number; pageSize?: number },
): Promise<DueRemindersRun> => {
  const run: DueRemindersRun = { batchId: newId(), queued: 0, alreadyQueued: 0, leftOut: 0 };
  // why: behind the notices already planned, so a batch queued this morning and this run do not share the same seconds.
  const pace = paceAtRate(await paceFrom(deps.db, o.now), deps.rate);
  let afterId: string | null = null;
  for (;;) {
    const page = await findDuesAhead(deps.db, { now: o.now, daysAhead: o.daysAhead, homeZone: deps.homeZone, afterId, limit: o.pageSize ?? 1000 });
    if (page.length === 0) return run;
    afterId = page.at(-1)!.dueId;
    const [policies, dues] = await Promise.all([
      findPolicyRecipients(deps.db, { ids: [...new Set(page.map((d) => d.policyId))] }),
      findNoticeDues(deps.db, { ids: page.map((d) => d.dueId) }),
    ]);
    const policyOf = new Map(policies.map((p) => [p.policyId, p]));
    const dueOf = new Map(dues.map((d) => [d.id, d]));
    const notices: NoticeToQueue[] = [];
    for (const d of page) {
      const p = policyOf.get(d.policyId);
      const due = dueOf.get(d.dueId);
      if (!p || !due || policyProblem('due-reminder', p)) {
        run.leftOut++;
        continue;
      }
      const text = estimateNotice(deps.templates, { notice: 'due-reminder', locale: toSupportedLocale(p.locale), policyNumber: p.policyNumber, due }, deps.wording);
      notices.push({ notice: 'due-reminder', policyId: p.policyId, policyholderId: p.policyholderId, dueId: due.id, to: p.phone, runAt: pace(text), remindOn: d.today });
    }
    const written = await queueNotices(deps.db, { now: o.now, from: deps.from, batchId: run.batchId, notices });
    run.queued += written.length;
    run.alreadyQueued += notices.length - written.length;
    if (written.length) deps.dispatch(written);
  }
};
