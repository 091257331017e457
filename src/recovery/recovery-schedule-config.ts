import { z } from 'zod';
import { describeIssue, strictObject as object } from '../contact/config-issues.js';
import { RECOVERY_STEP_KINDS } from '../jobs/contracts/recovery-step.job.js';

/**
 * The failed-debit recovery schedule (RECOVERY_SCHEDULE_FILE): the steps taken
 * over the grace period, from the failed charge to the cancellation and the
 * reinstatement offer after it, and when a due is handed to a human caller.
 * Checked whole at start: a bad file stops the start with the step and field named.
 */

// why: the step job's contract owns the list of kinds, so the jobs domain need not import this one.
export { RECOVERY_STEP_KINDS };
export type RecoveryStepKind = (typeof RECOVERY_STEP_KINDS)[number];
/** Steps timed from the failure (a day or an hour offset); the others are timed from the end of grace. */
export const TIMED_STEP_KINDS = ['sms-pay-link', 'call', 'charge-retry', 'reminder-sms'] as const satisfies readonly RecoveryStepKind[];

const HH_MM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const whole = (min: number, max: number) =>
  z.number({ error: 'is not a number' }).int({ error: 'is not a whole number' })
    .min(min, { error: `is less than ${min}` }).max(max, { error: `is more than ${max}` });
const id = z.string({ error: 'is not a step id' }).regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'must be lowercase letters, digits and dashes' });

const timing = {
  id,
  /** Days after the failure, in the customer's zone (same wall-clock time, or `atLocalTime`). */
  day: whole(0, 365).optional(),
  /** Hours after the failure; for steps within the first day or two. */
  hours: whole(0, 24 * 365).optional(),
  /** With `day`: the customer's local time of day, "HH:MM" (never earlier than the failure itself). */
  atLocalTime: z.string({ error: 'is not a time' }).regex(HH_MM, { error: 'is not a time "HH:MM"' }).optional(),
};

const oneOffset = (s: { day?: number | undefined; hours?: number | undefined; atLocalTime?: string | undefined }, ctx: z.RefinementCtx): void => {
  if ((s.day === undefined) === (s.hours === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['day'], input: s.day, message: 'give exactly one of day and hours' });
  } else if (s.atLocalTime !== undefined && s.day === undefined) {
    ctx.addIssue({ code: 'custom', path: ['atLocalTime'], input: s.atLocalTime, message: 'goes with day, not hours' });
  }
};

const simpleTimed = (kind: 'sms-pay-link' | 'call' | 'reminder-sms') => object({ kind: z.literal(kind), ...timing }).superRefine(oneOffset);

const chargeRetry = object({
  kind: z.literal('charge-retry'),
  ...timing,
  /**
   * When one of the customer's paydays falls from `daysBefore` days before to
   * `daysAfter` days after the step's day, retry on that payday instead.
   */
  alignToPayday: object({ daysBefore: whole(0, 14).default(0), daysAfter: whole(0, 14) }).optional(),
}).superRefine(oneOffset);

const step = z.discriminatedUnion('kind', [
  simpleTimed('sms-pay-link'),
  simpleTimed('call'),
  simpleTimed('reminder-sms'),
  chargeRetry,
  /** The last warning: this many hours before the end of grace. */
  object({ kind: z.literal('final-notice'), id, hoursBeforeGraceEnd: whole(1, 24 * 365).default(48) }),
  /** The policy is cancelled at the end of grace, with its notice. */
  object({ kind: z.literal('cancel'), id }),
  /** After the cancellation: pay within this many days and the policy is reinstated. */
  object({ kind: z.literal('reinstatement-offer'), id, validDays: whole(1, 365).default(14) }),
]);

const file = object({
  /** Dues above this premium get a human caller instead of the automated call (so do customers who asked for a person). */
  escalation: object({ premiumAboveCents: whole(0, Number.MAX_SAFE_INTEGER).optional() }).default({}),
  steps: z.array(step, { error: 'is not a list' }).min(1, { error: 'lists no step' }),
});

export type RecoveryStep = z.output<typeof step>;
export type TimedRecoveryStep = Extract<RecoveryStep, { kind: (typeof TIMED_STEP_KINDS)[number] }>;
export type RecoverySchedule = z.output<typeof file>;

export const isTimedStep = (s: RecoveryStep): s is TimedRecoveryStep => (TIMED_STEP_KINDS as readonly string[]).includes(s.kind);

/** Where a step falls in a grace period of `graceDays`, in hours after the failure: for checking the order. */
const nominalHours = (s: RecoveryStep, graceDays: number): number => {
  if (isTimedStep(s)) return s.hours ?? (s.day ?? 0) * 24 + (s.atLocalTime ? Number(s.atLocalTime.slice(0, 2)) + Number(s.atLocalTime.slice(3)) / 60 : 0);
  if (s.kind === 'final-notice') return graceDays * 24 - s.hoursBeforeGraceEnd;
  return graceDays * 24;
};

const describeOffset = (s: RecoveryStep): string =>
  isTimedStep(s) ? (s.hours !== undefined ? `hour ${s.hours}` : `day ${s.day}${s.atLocalTime ? ` ${s.atLocalTime}` : ''}`)
    : s.kind === 'final-notice' ? `${s.hoursBeforeGraceEnd} hours before the end of grace` : 'the end of grace';

/** Checks across steps that zod cannot express per field: ids, order, the grace period, one cancel. */
const crossCheck = (c: RecoverySchedule, graceDays: number): string[] => {
  const problems: string[] = [];
  const graceHours = graceDays * 24;
  const seen = new Set<string>();
  const where = (i: number) => `steps.${i} (${c.steps[i]!.id})`;
  c.steps.forEach((s, i) => {
    if (seen.has(s.id)) problems.push(`${where(i)}: the step id is used twice`);
    seen.add(s.id);
    const at = nominalHours(s, graceDays);
    if (isTimedStep(s) && at >= graceHours) problems.push(`${where(i)}: ${describeOffset(s)} is not before the end of a ${graceDays}-day grace period`);
    if (s.kind === 'final-notice' && at < 0) problems.push(`${where(i)}: hoursBeforeGraceEnd ${s.hoursBeforeGraceEnd} is longer than the ${graceDays}-day grace period`);
    const before = c.steps[i - 1];
    // why: listing steps in time order keeps the file readable as a timeline; a payday may still move a retry later.
    if (before && nominalHours(before, graceDays) > at) problems.push(`${where(i)}: ${describeOffset(s)} comes before ${where(i - 1)} at ${describeOffset(before)}; list the steps in time order`);
  });
  for (const kind of ['final-notice', 'cancel', 'reinstatement-offer'] as const) {
    const count = c.steps.filter((s) => s.kind === kind).length;
    if (count > 1) problems.push(`steps: ${count} ${kind} steps; at most one is allowed`);
  }
  const cancelAt = c.steps.findIndex((s) => s.kind === 'cancel');
  const offerAt = c.steps.findIndex((s) => s.kind === 'reinstatement-offer');
  if (offerAt >= 0 && (cancelAt < 0 || cancelAt > offerAt)) problems.push(`${where(offerAt)}: a reinstatement offer needs a cancel step before it`);
  return problems;
};

/** `steps.2 (day-3-retry).day: …`: the step's id beside its index, as an operator names it. */
const nameSteps = (text: string, json: unknown): string =>
  text.replace(/^steps\.(\d+)/, (all, i: string) => {
    const stepId = (json as { steps?: { id?: unknown }[] })?.steps?.[Number(i)]?.id;
    return typeof stepId === 'string' ? `${all} (${stepId})` : all;
  });

const describe = (issue: z.core.$ZodIssue): string => {
  // why: zod reports an unknown discriminator with the whole step as its value; the operator needs the kind.
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.path.length) {
    const kind = (issue.input as { kind?: unknown } | undefined)?.kind;
    return `${issue.path.join('.')}: ${JSON.stringify(kind) ?? 'missing, it'} is not one of ${RECOVERY_STEP_KINDS.join(', ')}`;
  }
  return describeIssue(issue);
};

/**
 * Parses and checks a recovery schedule for a grace period of `graceDays`;
 * throws an Error naming each bad step, field, value and what is wrong:
 * `RECOVERY_SCHEDULE_FILE: steps.2 (retry): day 40 is not before the end of a 30-day grace period`.
 */
export const parseRecoverySchedule = (json: unknown, graceDays: number, what = 'RECOVERY_SCHEDULE_FILE'): RecoverySchedule => {
  const r = file.safeParse(json, { reportInput: true });
  if (!r.success) throw new Error(`${what}: ${r.error.issues.map((i) => nameSteps(describe(i), json)).join('; ')}`);
  const problems = crossCheck(r.data, graceDays);
  if (problems.length) throw new Error(`${what}: ${problems.join('; ')}`);
  return r.data;
};
