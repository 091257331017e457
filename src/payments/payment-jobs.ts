import { z } from 'zod';
import { defineJob } from '../jobs/job-definition.js';

// The jobs settling a payment queues (topics also named by PaymentTopics in payment-topics.ts; a
// test keeps the two equal).

/** An off-session payment failed: start failed-debit recovery. */
export const startRecoveryJob = defineJob({
  topic: 'recovery.start',
  version: 1,
  payload: z.object({ dueId: z.string().min(1), declineClass: z.string().nullish(), attemptId: z.string().nullish() }),
});

/** The insurer's debit run: charge this due off-session with the card on file (once: a due already tried is left alone). */
export const debitDueJob = defineJob({
  topic: 'payments.debit-due',
  version: 1,
  payload: z.object({ dueId: z.string().min(1) }),
});

/** A second payment for a paid due: give it back. */
export const refundDuplicateJob = defineJob({
  topic: 'payments.refund-duplicate',
  version: 1,
  payload: z.object({ attemptId: z.string().min(1) }),
});

/** The due is paid: close its other pay links at Stripe. */
export const expirePayLinkJob = defineJob({
  topic: 'payments.expire-pay-link',
  version: 1,
  payload: z.object({ payLinkId: z.string().min(1) }),
});

/** Compare Stripe's payments of the last `sinceHours` (default 48) with ours. */
export const reconcilePaymentsJob = defineJob({
  topic: 'payments.reconcile',
  version: 1,
  payload: z.object({ sinceHours: z.number().positive().optional() }),
});
