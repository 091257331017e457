import { classifyDecline, type DeclineSignals } from '../../payments/classify-decline.js';
import { loadRecoverySchedule } from '../load-recovery-schedule.js';
import type { RecoveryFacts, StepRecord } from '../recovery-facts.js';

/** The default schedule over a 30-day grace period. */
export const schedule = loadRecoverySchedule(undefined, 30);

/**
 * A $182.40 premium whose debit failed on Thursday 3 December 2026 at 14:10 in
 * Chicago for lack of funds; grace ends at midnight starting 2 January 2027.
 * The customer may be texted and called; their payday is unknown.
 */
export const failedDue = (over: Partial<RecoveryFacts> = {}, signals: DeclineSignals = { declineCode: 'insufficient_funds' }): RecoveryFacts => {
  const decline = classifyDecline(signals);
  return {
    failedAt: '2026-12-03T14:10:00.000-06:00',
    graceEndsAt: '2027-01-02T00:00:00.000-06:00',
    zone: 'America/Chicago',
    amountCents: 18_240,
    currency: 'usd',
    decline,
    card: { network: 'visa', attempts: [{ at: new Date('2026-12-03T20:10:00Z'), status: 'failed', declineClass: decline.class }] },
    paydays: [],
    consent: { sms: true, voice: true },
    askedForPerson: false,
    paidAt: null,
    ...over,
  };
};

/** The default schedule's steps before `stepId`, recorded as done at `at`. */
export const doneBefore = (stepId: string, at: string): StepRecord[] => {
  const ids = schedule.steps.map((s) => s.id);
  return ids.slice(0, ids.indexOf(stepId)).map((id) => ({ stepId: id, outcome: 'done', at }));
};
