import type { ContactEngine } from '../contact/contact-engine.js';
import type { Db } from '../db/pool.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { findNoticeDues, type NoticeDue } from '../payments/find-notice-dues.js';
import { findPolicyRecipients } from '../policies/find-policy-recipients.js';
import { isAppError } from '../shared/app-error.js';
import { toSupportedLocale } from '../shared/webhook-edge/supported-locale.js';
import { NOTICE_RULES, type NoticeKind } from './notice-kinds.js';
import type { NoticeTemplates } from './notice-templates.js';
import { renderNotice, type NoticeWording } from './render-notice.js';
import type { sendNoticeJob } from './send-notice.job.js';

/** Port: a live pay link for a due (payments' createPayLink with `text: false`, wired in src/runtime). */
export type CreateDuePayLink = (dueId: string) => Promise<string>;

export type SendNoticeDeps = {
  db: Db;
  contact: ContactEngine;
  templates: NoticeTemplates;
  wording: NoticeWording;
  /** The public URL of the insurer's contact card, attached to the welcome notice as MMS media. */
  contactCardUrl: string;
  payLink: CreateDuePayLink;
};

const OPEN: readonly NoticeDue['status'][] = ['open', 'failed'];

/** Why a due no longer warrants its notice, or null when it does. */
const dueProblem = (notice: NoticeKind, policyId: string, due: NoticeDue | undefined): string | null => {
  const want = NOTICE_RULES[notice].due;
  if (!due || due.policyId !== policyId) return 'due-not-found';
  if (want === 'open' && !OPEN.includes(due.status)) return `due-${due.status}`;
  if (want === 'paid' && due.status !== 'paid') return `due-${due.status}`;
  return null;
};

/**
 * Sends one notice through the contact engine, from the facts as they are now: the policy, its
 * holder's locale and number, and the due it is about. A notice that no longer applies (the due
 * was paid or voided meanwhile, the policy changed status, no number) is not sent, and
 * `notice.skipped` says why; paying a due also cancels its notices still queued (their
 * correlation). The payment-failed and reinstatement-offer notices carry a live pay link; the welcome notice carries
 * the insurer's contact card as MMS media.
 */
export const createSendNoticeHandler =
  (deps: SendNoticeDeps): JobHandler<typeof sendNoticeJob> =>
  async (job) => {
    const { notice, policyId, dueId } = job.payload;
    const rule = NOTICE_RULES[notice];
    const skip = (reason: string) => ({
      evidence: [{ type: EvidenceType.NOTICE_SKIPPED, payload: { notice, policyId, dueId: dueId ?? null, reason } }],
    });
    const [policy] = await findPolicyRecipients(deps.db, { ids: [policyId] });
    if (!policy) return skip('policy-not-found');
    if (rule.policyStatus && !rule.policyStatus.includes(policy.status)) return skip(`policy-${policy.status}`);
    let due: NoticeDue | null = null;
    if (rule.due) {
      if (!dueId) return skip('no-due');
      const found = (await findNoticeDues(deps.db, { ids: [dueId] }))[0];
      const problem = dueProblem(notice, policyId, found);
      if (problem) return skip(problem);
      due = found!;
    }
    if (!policy.phone) return skip('no-number');
    let payLink: string | undefined;
    if (notice === 'payment-failed' || notice === 'reinstatement-offer') {
      try {
        payLink = await deps.payLink(due!.id);
      } catch (err) {
        // why: the due was paid (or waived) between the check above and the link: nothing left to ask for.
        if (isAppError(err) && err.code.startsWith('PAY_DUE_')) return skip(err.code.toLowerCase());
        throw err;
      }
    }
    const body = renderNotice(deps.templates, {
      notice, locale: toSupportedLocale(policy.locale), policyNumber: policy.policyNumber, due, ...(payLink ? { payLink } : {}),
    }, deps.wording);
    return deps.contact.sendText({
      to: policy.phone, body, kind: rule.contactKind, purpose: notice, policyholderId: policy.policyholderId,
      ...(notice === 'welcome' ? { mediaUrls: [deps.contactCardUrl] } : {}),
    }, job);
  };
