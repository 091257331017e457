import type { Queryable } from '../../db/pool.js';
import { EvidenceType, type EvidenceDraft } from '../../evidence/evidence-event.js';
import { sendSmsJob } from '../../jobs/contracts/send-sms.job.js';
import { outboxRow, type OutboxRow } from '../../jobs/outbox-rows.js';
import type { Transfer } from '../transfer/transfer-store.js';
import { runCallbackJob } from './callback-jobs.js';
import { findCallback, noteAttempt } from './callback-store.js';

/** The attempts a callback gets: the booked one and one retry; a second miss is reported. */
export const CALLBACK_ATTEMPTS = 2;

/** What ending an attempt needs: minutes before the retry, and the text telling a customer both attempts missed. */
export type CallbackAttemptRules = { retryMinutes: number; missedText: (locale: 'en-US' | 'es-US') => string };

export type AttemptEnd =
  | { reached: true; signal: string; durationSeconds: number | null }
  | { reached: false; outcome: 'no-specialist' | 'no-answer' | 'busy' | 'failed' | 'canceled' | 'specialist-left'; signal: string };

/**
 * How a callback's attempt ended, recorded on the callback: reached (done), or missed. A first miss
 * books the retry `retryMinutes` later; the second closes the callback as missed (the report lists
 * it), and the customer is texted that we tried twice, through the contact engine. The jobs and the
 * evidence are the same however often this runs for one attempt, so a re-run of the job or webhook
 * that ended it (its rows are written only by the run that completes) neither loses nor repeats them.
 */
export const endCallbackAttempt = async (
  db: Queryable, t: Pick<Transfer, 'callbackId' | 'callerCallSid'>, end: AttemptEnd, now: Date, rules: CallbackAttemptRules,
): Promise<{ evidence: EvidenceDraft[]; outbox: OutboxRow[] }> => {
  const cb = t.callbackId ? await findCallback(db, t.callbackId, { lock: true }) : null;
  if (!cb) return { evidence: [], outbox: [] };
  const attempt = cb.attempts;
  const providerRef = t.callerCallSid;
  const correlation = `callback:${cb.id}`;
  if (end.reached) {
    await noteAttempt(db, cb.id, 'reached', 'done', now);
    return { evidence: [{ type: EvidenceType.CALLBACK_DONE, providerRef, payload: { callbackId: cb.id, attempt, signal: end.signal, durationSeconds: end.durationSeconds } }], outbox: [] };
  }
  if (attempt < CALLBACK_ATTEMPTS) {
    await noteAttempt(db, cb.id, end.outcome, null, now);
    const retryAt = new Date(now.getTime() + rules.retryMinutes * 60_000);
    return {
      evidence: [{ type: EvidenceType.CALLBACK_ATTEMPT_MISSED, providerRef, payload: { callbackId: cb.id, attempt, outcome: end.outcome, signal: end.signal, retryAt: retryAt.toISOString() } }],
      outbox: [outboxRow(runCallbackJob, { callbackId: cb.id, attempt: attempt + 1 }, { runAt: retryAt, correlation })],
    };
  }
  await noteAttempt(db, cb.id, end.outcome, 'missed', now);
  return {
    evidence: [{ type: EvidenceType.CALLBACK_MISSED, providerRef, payload: { callbackId: cb.id, attempts: attempt, outcome: end.outcome, signal: end.signal } }],
    outbox: [outboxRow(sendSmsJob, {
      to: cb.phone, body: rules.missedText(cb.locale), kind: 'transactional', purpose: 'callback-missed', policyholderId: cb.policyholderId,
    }, { runAt: now, correlation })],
  };
};
