import { DateTime } from 'luxon';
import { EvidenceType, type EvidenceDraft } from '../evidence/evidence-event.js';
import type { recoveryStepJob } from '../jobs/contracts/recovery-step.job.js';
import type { JobHandler } from '../jobs/job-registry.js';
import { chargeDue } from '../payments/charge-due.js';
import { markPolicyLapsed } from '../policies/change-policy-terms.js';
import { isAppError } from '../shared/app-error.js';
import type { RecoveryDeps, RecoveryNotice } from './recovery-deps.js';
import type { CallDecision, OutboundCall } from '../contact/contact-engine.js';
import type { SenderRateLimiter } from '../contact/sender-rate-limiter.js';
import type { SendingJob } from '../jobs/outbox-worker.js';
import { loadRecoveryFacts } from './load-recovery-facts.js';
import { ASKED_FOR_PERSON, openRecoveryTask } from './recovery-tasks.js';
import { recordRecoveryStep } from './recovery-record.js';
import { runRecoveryTurn } from './run-recovery-turn.js';

/** The notice each texted step sends (src/notices: the contact engine decides when it may go). */
const NOTICE_OF: Partial<Record<string, RecoveryNotice>> = {
  'sms-pay-link': 'payment-failed', 'reminder-sms': 'payment-failed', 'final-notice': 'pending-cancellation',
  cancel: 'cancelled', 'reinstatement-offer': 'reinstatement-offer',
};

/** How a call step reaches the customer: the outbound recovery call (its own module), given the due and the step. */
export type PlaceRecoveryCall = (p: { dueId: string; stepId: string; to: string; locale: 'en-US' | 'es-US' }) => Promise<{ callSid: string }>;

/** What a call step needs: the contact engine's say on calls, the calls' pace, and the call itself (null: calls not wired). */
export type RecoveryCallPorts = {
  decideCall: (c: OutboundCall, job: SendingJob) => Promise<CallDecision>;
  callLimiter: Pick<SenderRateLimiter, 'reserveFor'> | null;
  placeCall: PlaceRecoveryCall | null;
};

/** A wait for the calls' pace up to this long is slept in the job; a longer one puts the job back in the queue. */
const MAX_CALL_WAIT_MS = 5_000;

/**
 * Runs one step of a due's recovery as the planner decided it, with the step as evidence on the
 * recovery (what it did, on which channel, and why it differs from the schedule): a text is a notice
 * through the contact engine (queued once per step: a re-run finds it), a charge retry charges the
 * card on file (a charge the card networks' caps forbid now waits until they allow it: the flow
 * hears STEP_DEFERRED), a call is the outbound recovery call, a person's call is a task for a human
 * caller with the failure in plain words, the cancellation lapses the policy. A skipped step records
 * why. A due paid meanwhile does nothing more (its jobs were cancelled; one already running re-reads it).
 */
export const createRunRecoveryStepHandler =
  (deps: RecoveryDeps & RecoveryCallPorts): JobHandler<typeof recoveryStepJob> => {
    const run = runStep(deps);
    return async (job) => {
      const out = await run(job);
      // why: the funnel counts a step once it ran (a re-run of its job records nothing twice).
      const ran = out && 'evidence' in out && out.evidence?.some((e) => e.type === EvidenceType.RECOVERY_STEP && (e.payload as { outcome?: string }).outcome === 'done');
      if (ran) await recordRecoveryStep(deps.db, job.payload.dueId, job.payload.stepId);
      return out;
    };
  };

const runStep =
  (deps: RecoveryDeps & RecoveryCallPorts): JobHandler<typeof recoveryStepJob> =>
  async (job) => {
    const p = job.payload;
    const step = (outcome: string, extra: Record<string, unknown> = {}): EvidenceDraft => ({
      type: EvidenceType.RECOVERY_STEP,
      payload: { dueId: p.dueId, stepId: p.stepId, kind: p.kind, plannedAt: p.at, outcome, why: p.why, ...(p.type === 'run' ? { does: p.does, channel: p.channel } : {}), ...extra },
    });
    if (p.type === 'skip') return { evidence: [step('skipped')] };
    const now = deps.clock.now();
    const loaded = await loadRecoveryFacts(deps.db, p.dueId, { now, graceDays: deps.graceDays, homeZone: deps.homeZone });
    if (!loaded) return { evidence: [step('not-run', { reason: 'due-not-found' })] };
    const { due, contact } = loaded;
    // why: paid means nothing more is done, the cancellation included (a step's job may start a moment after the payment).
    if (due.status === 'paid') return { evidence: [step('not-run', { reason: 'due-paid' })] };
    // why: the offer is about a lapsed policy, and the cancellation's own step job runs beside this one: whichever comes first lapses it.
    const lapsed = p.does === 'cancel' || p.does === 'reinstatement-offer' ? await markPolicyLapsed(deps.db, due.policyId, now) : false;
    const lapse: EvidenceDraft[] = lapsed ? [{ type: EvidenceType.RECOVERY_LAPSED, payload: { dueId: p.dueId, policyId: due.policyId, stepId: p.stepId, at: now.toISOString() } }] : [];
    if (p.does === 'cancel' && p.channel !== 'sms') return { evidence: [...lapse, step('done')] };
    switch (p.channel) {
      case 'sms': {
        const kind = NOTICE_OF[p.does];
        if (!kind) return { evidence: [step('not-run', { reason: `no text for ${p.does}` })] };
        const queued = await notice(deps, p, kind, contact, due, now);
        return { evidence: [...lapse, step('done', { notice: kind, noticeJob: queued })] };
      }
      case 'card': {
        if (due.failure?.channel === 'import') {
          // why: a debit the insurer's own billing made (imported) is retried by that billing; a charge of ours beside it could take the premium twice.
          const queued = await notice(deps, p, 'payment-failed', contact, due, now);
          return { evidence: [step('done', { replacedBy: 'sms-pay-link', reason: "the insurer's billing retries the debits it imports", notice: 'payment-failed', noticeJob: queued })] };
        }
        try {
          const r = await chargeDue({ dueId: p.dueId, channel: 'retry' }, deps.payments);
          if (r.outcome === 'blocked') {
            if (r.retryAfter) {
              await runRecoveryTurn(deps, p.dueId, { type: 'STEP_DEFERRED', stepId: p.stepId, at: now.toISOString(), until: r.retryAfter.toISOString() }, `job:${job.id}:deferred`);
              return { evidence: [step('deferred', { until: r.retryAfter.toISOString(), reason: r.reason })] };
            }
            return { evidence: [step('not-run', { reason: r.reason })] };
          }
          return { evidence: [step('done', { charge: r.outcome, attemptId: 'attemptId' in r ? r.attemptId : null, ...(r.outcome === 'failed' ? { declineClass: r.declineClass, declineReason: r.reason } : {}) })] };
        } catch (err) {
          if (isAppError(err) && err.code === 'PAY_NO_PAYMENT_METHOD') return { evidence: [step('not-run', { reason: 'no card on file' })] };
          throw err;
        }
      }
      case 'specialist': {
        const reason = due.amountCents > (deps.schedule.escalation.premiumAboveCents ?? Infinity) ? 'large premium' : ASKED_FOR_PERSON;
        const failure = loaded.facts.decline.reason;
        const { task, opened } = await openRecoveryTask(deps.db, { dueId: p.dueId, policyId: due.policyId, stepId: p.stepId, reason, failure }, now);
        return { evidence: [step('done', { taskId: task.id, opened }), ...(opened ? [{ type: EvidenceType.RECOVERY_TASK, payload: { taskId: task.id, dueId: p.dueId, stepId: p.stepId, reason, failure } }] : [])] };
      }
      case 'voice': {
        if (!contact.phone || !deps.placeCall) return { evidence: [step('not-run', { reason: contact.phone ? 'outbound calls are not configured' : 'no number on record' })] };
        const d = await deps.decideCall({ to: contact.phone, kind: 'informational', purpose: 'recovery-call', policyholderId: contact.policyholderId }, job);
        if (d.action === 'defer') {
          await runRecoveryTurn(deps, p.dueId, { type: 'STEP_DEFERRED', stepId: p.stepId, at: now.toISOString(), until: d.until.toISOString() }, `job:${job.id}:deferred`);
          return { evidence: [...d.evidence, step('deferred', { until: d.until.toISOString() })] };
        }
        if (d.action === 'suppress') return { evidence: [...d.evidence, step('not-run', { reason: d.reason })] };
        // why: calls leave at the configured calls per second, whichever worker makes them; a long wait puts the job back in line.
        const slot = deps.callLimiter ? await deps.callLimiter.reserveFor(deps.fromNumber, 1, job.id) : { waitMs: 0, sendAtMs: now.getTime() };
        if (slot.waitMs > MAX_CALL_WAIT_MS) return { deferUntil: new Date(slot.sendAtMs) };
        if (slot.waitMs > 0) await new Promise((r) => setTimeout(r, slot.waitMs));
        const started = await job.markStarted();
        if (started) return { evidence: [step('not-run', { reason: 'an earlier run may have placed this call; not calling twice' })] };
        const { callSid } = await deps.placeCall({ dueId: p.dueId, stepId: p.stepId, to: contact.phone, locale: contact.locale });
        return { evidence: [step('done', { callSid })] };
      }
      default:
        return { evidence: [step('not-run', { reason: `nothing runs on channel ${p.channel}` })] };
    }
  };

/** Queues the step's notice (once per due, kind and the step's day in the holder's zone); its outbox id, or null when queued before. */
const notice = (
  deps: RecoveryDeps, p: { dueId: string; at: string }, kind: RecoveryNotice,
  contact: { policyholderId: string; phone: string | null; zone: string }, due: { policyId: string }, now: Date,
): Promise<string | null> =>
  deps.queueNotice({
    notice: kind, dueId: p.dueId, policyId: due.policyId, policyholderId: contact.policyholderId, to: contact.phone,
    day: DateTime.fromISO(p.at, { zone: contact.zone }).toISODate()!, now,
  });
