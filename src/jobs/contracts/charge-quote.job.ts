import { z } from 'zod';
import { defineJob } from '../job-definition.js';

/**
 * The payment a customer confirmed by text (YES to a quote): the due, the card on file quoted and
 * the amount they saw. Charged only if the due is still open at that amount with that card
 * (payments' chargeDue makes it once per due across IVR, SMS and pay links); the outcome is texted
 * (a receipt, or why not) in `locale`.
 */
export const chargeQuoteJob = defineJob({
  topic: 'sms.charge-quote',
  version: 1,
  payload: z.object({
    dueId: z.string().min(1),
    paymentMethodId: z.string().min(1),
    amountCents: z.number().int().positive(),
    currency: z.string().min(3).max(3),
    quoteId: z.string().min(1),
    /** The quoted card's last four digits, as the customer was told (null when unknown). */
    last4: z.string().regex(/^[0-9]{4}$/).nullable().optional(),
    messageSid: z.string().min(1),
    locale: z.enum(['en-US', 'es-US']),
  }),
});
