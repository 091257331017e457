import { DateTime } from 'luxon';
import type { RecoveryFacts } from './recovery-facts.js';
import { isTimedStep, type RecoveryStep, type TimedRecoveryStep } from './recovery-schedule-config.js';

/** When a step falls, and why it was moved from its configured time (null when it was not). */
export type StepTime = { at: DateTime; why: string | null };

type Timing = Pick<RecoveryFacts, 'failedAt' | 'graceEndsAt' | 'zone' | 'paydays'>;

const atLocal = (day: DateTime, hhmm: string): DateTime =>
  // why: `set` keeps the wall-clock time on DST days, where `startOf('day').plus(...)` drifts by an hour.
  day.set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)), second: 0, millisecond: 0 });

/** The configured time of a timed step: the failure plus its days (same wall-clock time, or `atLocalTime`) or hours. */
const configuredTime = (s: TimedRecoveryStep, failed: DateTime): DateTime => {
  if (s.hours !== undefined) return failed.plus({ hours: s.hours });
  const day = failed.plus({ days: s.day ?? 0 });
  return s.atLocalTime ? atLocal(day, s.atLocalTime) : day;
};

/** The payday in the step's window closest to its configured day (the earlier on a tie), at the same local time. */
const paydayInWindow = (s: TimedRecoveryStep, configured: DateTime, failed: DateTime, paydays: readonly string[]): DateTime | null => {
  if (s.kind !== 'charge-retry' || !s.alignToPayday) return null;
  const { daysBefore, daysAfter } = s.alignToPayday;
  const day = configured.startOf('day');
  let best: { at: DateTime; distance: number } | null = null;
  for (const iso of paydays) {
    const payday = DateTime.fromISO(iso, { zone: configured.zone });
    if (!payday.isValid) continue;
    const distance = Math.round(payday.startOf('day').diff(day, 'days').days);
    if (distance < -daysBefore || distance > daysAfter) continue;
    const at = payday.set({ hour: configured.hour, minute: configured.minute, second: 0, millisecond: 0 });
    if (at <= failed) continue;
    if (!best || Math.abs(distance) < Math.abs(best.distance) || (Math.abs(distance) === Math.abs(best.distance) && distance < best.distance)) best = { at, distance };
  }
  return best?.at ?? null;
};

/**
 * When a step falls for this due, in the customer's zone: timed steps from the
 * failure (a charge retry moved to a payday in its window), the final notice
 * its hours before the end of grace, the cancellation at the end of grace.
 * Never before the failure itself. A reinstatement offer falls at the end of grace;
 * the planner moves it to the actual cancellation.
 */
export const stepTime = (s: RecoveryStep, facts: Timing): StepTime => {
  const failed = DateTime.fromISO(facts.failedAt, { zone: facts.zone });
  const graceEnd = DateTime.fromISO(facts.graceEndsAt, { zone: facts.zone });
  const notBeforeFailure = (t: DateTime) => (t < failed ? failed : t);
  if (!isTimedStep(s)) {
    return { at: notBeforeFailure(s.kind === 'final-notice' ? graceEnd.minus({ hours: s.hoursBeforeGraceEnd }) : graceEnd), why: null };
  }
  const configured = notBeforeFailure(configuredTime(s, failed));
  const payday = paydayInWindow(s, configured, failed, facts.paydays);
  if (!payday || payday.hasSame(configured, 'day')) return { at: configured, why: null };
  return { at: payday, why: `moved from ${configured.toISODate()} to the customer's payday ${payday.toISODate()}` };
};
