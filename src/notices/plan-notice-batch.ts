import { DateTime } from 'luxon';
import type { Db } from '../db/pool.js';
import { findNoticeDues, type NoticeDue } from '../payments/find-notice-dues.js';
import { findPolicyRecipients, type PolicyRecipient } from '../policies/find-policy-recipients.js';
import { toSupportedLocale } from '../shared/webhook-edge/supported-locale.js';
import { countSegments } from '../telephony/count-segments.js';
import { NOTICE_RULES, type NoticeKind } from './notice-kinds.js';
import type { NoticeTemplates } from './notice-templates.js';
import type { NoticeToQueue } from './queue-notices.js';
import { estimateNotice, type NoticeWording } from './render-notice.js';

/** A policy number the batch leaves out, and why, in words for the operator. */
export type RejectedNotice = { policyNumber: string; reason: string };

export type NoticeBatchPlan = { notices: NoticeToQueue[]; rejected: RejectedNotice[] };

export type PlanDeps = {
  db: Db;
  templates: NoticeTemplates;
  wording: NoticeWording;
  /** Segments per second of the sending number (the contact engine's sender rate limiter's rateOf). */
  rate: number;
  /** The insurer's zone: whose calendar says whether a due is still to come or overdue. */
  homeZone: string;
};

const OPEN: readonly NoticeDue['status'][] = ['open', 'failed'];

/**
 * The due a notice of this kind is about for one policy: the one asked for (when it is the
 * policy's and fits), else the policy's earliest open or failed due (an open due's notices), or its
 * latest paid due (payment received). A reason instead when there is none.
 */
const dueFor = (notice: NoticeKind, dues: readonly NoticeDue[], asked: string | undefined, today: string): NoticeDue | string => {
  const want = NOTICE_RULES[notice].due;
  const fits = (d: NoticeDue) => (want === 'paid' ? d.status === 'paid' : OPEN.includes(d.status));
  let due: NoticeDue | undefined;
  if (asked) {
    due = dues.find((x) => x.id === asked);
    if (!due) return 'the due is not one of this policy';
    if (!fits(due)) return `the due is ${due.status}`;
  } else {
    due = want === 'paid' ? dues.filter(fits).at(-1) : dues.find(fits);
    if (!due) return want === 'paid' ? 'no paid premium due' : 'no open premium due';
  }
  // why: "your premium is due December 1" on December 3 misleads; an overdue premium gets the pending-cancellation notice.
  if (notice === 'due-reminder' && due.dueDate < today) return `the premium due ${due.dueDate} is overdue: send pending-cancellation`;
  if (notice === 'pending-cancellation' && due.dueDate >= today) return `the premium due ${due.dueDate} is not overdue yet: send due-reminder`;
  return due;
};

/**
 * Run times for notices sent one after another from a number sending `rate` segments a second:
 * each text's time is `start + segments of the texts before it / rate`.
 */
export const paceAtRate = (start: Date, rate: number) => {
  let segments = 0;
  return (text: string): Date => {
    const at = new Date(start.getTime() + Math.round((segments / rate) * 1000));
    segments += countSegments(text).segments;
    return at;
  };
};

/** Why a policy gets no notice of this kind, or null. */
export const policyProblem = (notice: NoticeKind, p: PolicyRecipient | undefined): string | null => {
  if (!p) return 'unknown policy number';
  const allowed = NOTICE_RULES[notice].policyStatus;
  if (allowed && !allowed.includes(p.status)) return `the policy is ${p.status}`;
  if (!p.phone) return 'the policyholder has no phone number';
  return null;
};

/**
 * An operator's batch as notices to queue, and the policy numbers left out with why (unknown,
 * listed twice, a status the notice does not fit, no due to tell of, no number): two reads
 * whatever the batch's size. Each notice's run_at spreads the batch over time at the sending
 * number's rate: the i-th waits for the segments of the ones before it, `start + cumulative
 * segments / rate`, counted on its text as it will read (a pay link not made yet at its longest),
 * so 10,000 notices do not all wake at once; the rate limiter still holds the line when they send.
 */
export const planNoticeBatch = async (
  deps: PlanDeps,
  o: { notice: NoticeKind; policyNumbers: readonly string[]; dueId?: string | undefined; start: Date; paceFrom?: Date },
): Promise<NoticeBatchPlan> => {
  const rule = NOTICE_RULES[o.notice];
  const unique = [...new Set(o.policyNumbers)];
  const policies = new Map((await findPolicyRecipients(deps.db, { numbers: unique })).map((p) => [p.policyNumber, p]));
  const rejected: RejectedNotice[] = [];
  const seen = new Set<string>();
  const eligible: PolicyRecipient[] = [];
  for (const number of o.policyNumbers) {
    if (seen.has(number)) {
      rejected.push({ policyNumber: number, reason: 'listed more than once (one notice is queued)' });
      continue;
    }
    seen.add(number);
    const p = policies.get(number);
    const problem = policyProblem(o.notice, p);
    if (problem) rejected.push({ policyNumber: number, reason: problem });
    else eligible.push(p!);
  }
  const dues = new Map<string, NoticeDue[]>();
  if (rule.due) {
    for (const d of await findNoticeDues(deps.db, { policyIds: eligible.map((p) => p.policyId) })) {
      dues.set(d.policyId, [...(dues.get(d.policyId) ?? []), d]);
    }
  }
  const notices: NoticeToQueue[] = [];
  const pace = paceAtRate(o.paceFrom ?? o.start, deps.rate);
  const today = DateTime.fromJSDate(o.start, { zone: deps.homeZone }).toISODate()!;
  for (const p of eligible) {
    let due: NoticeDue | null = null;
    if (rule.due) {
      const found = dueFor(o.notice, dues.get(p.policyId) ?? [], o.dueId, today);
      if (typeof found === 'string') {
        rejected.push({ policyNumber: p.policyNumber, reason: found });
        continue;
      }
      due = found;
    }
    const text = estimateNotice(deps.templates, { notice: o.notice, locale: toSupportedLocale(p.locale), policyNumber: p.policyNumber, due }, deps.wording);
    notices.push({
      notice: o.notice, policyId: p.policyId, policyholderId: p.policyholderId, dueId: due?.id ?? null, to: p.phone,
      runAt: pace(text),
    });
  }
  return { notices, rejected };
};
