import { DateTime } from 'luxon';
import { chooseStepChannel, escalationReason } from './choose-step-channel.js';
import type { PlannedStep, RecoveryFacts, RecoveryPlan, StepRecord } from './recovery-facts.js';
import { isTimedStep, type RecoverySchedule, type RecoveryStep } from './recovery-schedule-config.js';
import { stepTime } from './step-time.js';

const iso = (t: DateTime): string => t.toISO()!;

/** The reinstatement window after a cancellation at `cancelledAt`: its offer's days, none without an offer step. */
const windowEnd = (schedule: RecoverySchedule, cancelledAt: DateTime): DateTime => {
  const offer = schedule.steps.find((s) => s.kind === 'reinstatement-offer');
  return offer?.kind === 'reinstatement-offer' ? cancelledAt.plus({ days: offer.validDays }) : cancelledAt;
};

/** One pending step: when it falls (a deferral wins over the schedule) and how it runs, or why it is skipped. */
const planStep = (
  s: RecoveryStep, facts: RecoveryFacts, ctx: { graceEnd: DateTime; cancelledAt: DateTime | null; deferredUntil: string | undefined; escalation: string | null },
): PlannedStep => {
  const timed = stepTime(s, facts);
  let at = ctx.deferredUntil ? DateTime.fromISO(ctx.deferredUntil, { zone: facts.zone }) : timed.at;
  if (s.kind === 'reinstatement-offer' && ctx.cancelledAt && !ctx.deferredUntil) at = ctx.cancelledAt;
  const base = { stepId: s.id, kind: s.kind };
  if (ctx.cancelledAt && s.kind !== 'reinstatement-offer') return { type: 'skip', ...base, at: iso(at), why: 'the policy was cancelled before this step ran' };
  if (isTimedStep(s) && at >= ctx.graceEnd) return { type: 'skip', ...base, at: iso(at), why: `falls on or after the end of grace (${iso(ctx.graceEnd)})` };
  const choice = chooseStepChannel(s, facts, at, ctx.graceEnd, ctx.escalation);
  if (!choice.run) return { type: 'skip', ...base, at: iso(at), why: choice.why };
  const why = [ctx.deferredUntil ? null : timed.why, choice.why].filter(Boolean).join('; ') || null;
  return { type: 'run', ...base, at: iso(choice.at ?? at), does: choice.does, channel: choice.channel, why };
};

/**
 * The whole recovery of one failed due as things stand: whether it is over
 * (paid, to be reinstated, closed) and every step still to come, in time order
 * (ties in the schedule's order), each to run on a channel the customer agreed
 * to or skipped with the reason. Steps done or skipped in `history` are not
 * planned again; a deferred step falls at its latest `until`. Pure.
 */
export const planRecovery = (schedule: RecoverySchedule, facts: RecoveryFacts, history: readonly StepRecord[]): RecoveryPlan => {
  const graceEnd = DateTime.fromISO(facts.graceEndsAt, { zone: facts.zone });
  const cancelStep = schedule.steps.find((s) => s.kind === 'cancel');
  const cancelRecord = cancelStep && history.find((h) => h.stepId === cancelStep.id && h.outcome === 'done');
  const cancelledAt = cancelRecord ? DateTime.fromISO(cancelRecord.at, { zone: facts.zone }) : null;
  const closesAt = cancelledAt ? windowEnd(schedule, cancelledAt) : graceEnd;
  if (facts.paidAt) {
    const paid = DateTime.fromISO(facts.paidAt, { zone: facts.zone });
    if (!cancelledAt) return { status: 'paid', steps: [], closesAt: iso(paid), why: `paid ${iso(paid)}` };
    // why: a payment settled after the cancellation but made before it (a slow bank transfer) proves the cancellation wrong.
    if (paid < cancelledAt) return { status: 'reinstate', steps: [], closesAt: iso(paid), why: `paid ${iso(paid)}, before the cancellation at ${iso(cancelledAt)}` };
    if (paid <= closesAt) return { status: 'reinstate', steps: [], closesAt: iso(paid), why: `paid ${iso(paid)}, within the reinstatement window (until ${iso(closesAt)})` };
    return { status: 'closed', steps: [], closesAt: iso(closesAt), why: `paid ${iso(paid)}, after the reinstatement window closed (${iso(closesAt)})` };
  }
  const finished = new Set(history.filter((h) => h.outcome !== 'deferred').map((h) => h.stepId));
  const deferred = new Map<string, string>();
  for (const h of history) if (h.outcome === 'deferred') deferred.set(h.stepId, h.until);
  const escalation = escalationReason(schedule, facts);
  const steps = schedule.steps
    .filter((s) => !finished.has(s.id))
    .map((s, order) => ({ order, step: planStep(s, facts, { graceEnd, cancelledAt, deferredUntil: deferred.get(s.id), escalation }) }))
    .sort((a, b) => DateTime.fromISO(a.step.at).toMillis() - DateTime.fromISO(b.step.at).toMillis() || a.order - b.order)
    .map((x) => x.step);
  return { status: 'active', steps, closesAt: iso(closesAt), why: null };
};

/** What one due's recovery does next: the plan's first pending step, or how the recovery ends. */
export type RecoveryNext =
  | PlannedStep
  | { type: 'stop'; status: 'paid' | 'reinstate' | 'closed'; why: string }
  | { type: 'close'; at: string; why: string };

/**
 * The next thing to do for one due: the earliest pending step (to run or to
 * record as skipped, at its `at`), `stop` when the due is paid (or paid after
 * cancellation: reinstate, or too late), or `close` at the end of the
 * reinstatement window (of grace, without a cancel step) once no step is left. Pure.
 */
export const nextRecoveryStep = (schedule: RecoverySchedule, facts: RecoveryFacts, history: readonly StepRecord[]): RecoveryNext => {
  const plan = planRecovery(schedule, facts, history);
  if (plan.status !== 'active') return { type: 'stop', status: plan.status, why: plan.why ?? plan.status };
  const first = plan.steps[0];
  if (first) return first;
  const cancelled = schedule.steps.some((s) => s.kind === 'cancel' && history.some((h) => h.stepId === s.id && h.outcome === 'done'));
  return { type: 'close', at: plan.closesAt, why: cancelled ? 'the reinstatement window ends unpaid' : 'the schedule is over; the grace period ends unpaid' };
};
