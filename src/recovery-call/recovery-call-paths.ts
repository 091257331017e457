import { z } from 'zod';

/** The outbound recovery call's webhooks (Twilio, signed). Every URL carries the due, the step and the customer's language. */
export const RECOVERY_CALL_PATHS = {
  /** The call's TwiML once answered: the neutral greeting and its menu. */
  answer: '/twilio/recovery-call/answer',
  /** The menu's Gather action (and its no-input redirect). */
  key: '/twilio/recovery-call/key',
  /** Where a caller waits for the charge of the card on file. */
  payment: '/twilio/recovery-call/payment',
  /** The voicemail a machine gets (the Calls API moves the call there). */
  voicemail: '/twilio/recovery-call/voicemail',
  /** The asynchronous answering machine detection verdict. */
  amd: '/twilio/recovery-call/amd',
  /** Call progress. */
  status: '/twilio/recovery-call/status',
} as const;

/** What every recovery-call URL says: which due and recovery step the call is for, and in which language it speaks. */
export const recoveryCallQuery = z.object({
  due: z.uuid('due must be a premium due id'),
  step: z.string().regex(/^[\w.-]{1,64}$/, 'step must be a recovery step id'),
  locale: z.enum(['en-US', 'es-US']),
});
export type RecoveryCallRef = { dueId: string; stepId: string; locale: 'en-US' | 'es-US' };

/** The menu's query: the call's ref, which try of the menu this is, and whether the Gather timed out. */
export const recoveryKeyQuery = recoveryCallQuery.extend({
  try: z.coerce.number().int().min(1).max(3).default(1),
  noinput: z.enum(['1']).optional(),
});

/** The payment wait's query: the call's ref and how many times the charge has been looked at. */
export const recoveryPaymentQuery = recoveryCallQuery.extend({ poll: z.coerce.number().int().min(1).max(50).default(1) });

/** A recovery-call URL on `base` (PUBLIC_BASE_URL, or '' for a path the call's documents resolve). */
export const recoveryCallUrl = (base: string, path: string, ref: RecoveryCallRef, extra: Record<string, string | number> = {}): string => {
  const q = new URLSearchParams({ due: ref.dueId, step: ref.stepId, locale: ref.locale });
  for (const [k, v] of Object.entries(extra)) q.set(k, String(v));
  return `${base}${path}?${q.toString()}`;
};

export const refOf = (q: z.infer<typeof recoveryCallQuery>): RecoveryCallRef => ({ dueId: q.due, stepId: q.step, locale: q.locale });
