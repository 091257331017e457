import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/**
 * Text the receipt of a payment (queued by payments, handled by sms): ids only, the handler reads
 * the wording and the numbers. `interactionId`: where the customer paid (the number in use there
 * is tried first), null for none.
 */
export const paymentReceiptJob = defineJob({
  topic: 'sms.payment-receipt',
  version: 2,
  payload: z.object({
    dueId: z.string().min(1),
    attemptId: z.string().min(1),
    interactionId: z.string().min(1).nullable(),
    /**
     * Queued by the payment's settlement behind a charge that texts its own receipt (version 2; a
     * version-1 row is not one): it stands down when any receipt job of the charge exists.
     */
    fallback: z.boolean().default(false),
  }),
});

/** What a receipt job is about: one payment attempt. A second receipt job for it stands down (earlierJobAbout). */
export const receiptCorrelation = (attemptId: string): string => `receipt:${attemptId}`;

/** The settlement's receipt of an attempt (payments' recordPaymentSucceeded): see `fallback`. */
export const fallbackReceiptCorrelation = (attemptId: string): string => `receipt-settled:${attemptId}`;

/**
 * What the receipt says and the numbers it may go to (the number in use first, then the holder's,
 * mobile first): what the handler (sms) gets from payments through a port wired in src/runtime.
 */
export type PaymentReceiptFacts = {
  numbers: { to: string; inUse: boolean }[];
  /** The holder's locale as stored. */
  locale: string;
  amountCents: number;
  currency: string;
  policyNumber: string;
  /** The attempt's confirmation number, as the caller heard it. */
  confirmation: string;
};
