import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/** Every kind of recovery step (src/recovery/recovery-schedule-config.ts); the first four are timed from the failure. */
export const RECOVERY_STEP_KINDS = ['sms-pay-link', 'call', 'charge-retry', 'reminder-sms', 'final-notice', 'cancel', 'reinstatement-offer'] as const;

/**
 * How a recovery step reaches the customer: a text, an automated call, a human caller
 * (escalation), a charge on the card, or nothing (a cancellation nobody may be told of by us).
 */
export const RECOVERY_CHANNELS = ['sms', 'voice', 'specialist', 'card', 'none'] as const;

const kind = z.enum(RECOVERY_STEP_KINDS);
const common = { dueId: z.string().min(1), stepId: z.string().min(1), kind, at: z.string().min(1) };

/**
 * One step of a due's failed-debit recovery, as the planner decided it: `run` does `does` on
 * `channel` through the contact engine (which may defer it: the flow hears STEP_DEFERRED),
 * `skip` only records why it did not run. Either way the step's evidence carries `why`.
 */
export const recoveryStepJob = defineJob({
  topic: 'recovery.run-step',
  version: 1,
  payload: z.discriminatedUnion('type', [
    z.object({ type: z.literal('run'), ...common, does: kind, channel: z.enum(RECOVERY_CHANNELS), why: z.string().nullable() }),
    z.object({ type: z.literal('skip'), ...common, why: z.string() }),
  ]),
});
