import { z } from 'zod';
import { defineJob } from '../job-definition.js';

const money = z.number().int().min(0);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * Who and what a retention decision is about, shared by the jobs that carry one out: the case is
 * the call's (or text's, or specialist's) `callSid`; the confirmation goes to `phone` in `locale`.
 */
export const retentionCaseFields = {
  policyId: z.string(),
  policyholderId: z.string(),
  callSid: z.string().min(1),
  channel: z.enum(['ivr', 'sms', 'specialist']),
  locale: z.enum(['en-US', 'es-US']),
  phone: z.string().min(1),
  reason: z.string().nullable(),
};

/** An offer exactly as quoted to the customer; see OfferQuote in src/flows/retention-call.types.ts. */
export const offerQuoteSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.enum(['downgrade-tier', 'downgrade-sum']), fromTier: z.string(), toTier: z.string(),
    fromSumInsuredCents: money, toSumInsuredCents: money, fromPremiumCents: money, toPremiumCents: money, currency: z.string(), effectiveDate: date,
  }),
  z.object({ kind: z.literal('move-date'), dueId: z.string(), fromDate: date, amountCents: money, currency: z.string() }),
  z.object({ kind: z.literal('skip-instalment'), dueId: z.string(), fromDate: date, toDate: date, fromAmountCents: money, toAmountCents: money, currency: z.string() }),
  z.object({ kind: z.literal('explain-cover'), product: z.string() }),
]);

/**
 * A customer accepted a retention offer (or chose to keep the policy after hearing its cover):
 * apply it once per call (`callSid`), confirm it by text, record the save. `toDate` is the new
 * due date for a move of the payment date.
 */
export const applyOfferJob = defineJob({
  topic: 'retention.apply-offer',
  version: 1,
  payload: z.object({
    ...retentionCaseFields,
    offer: offerQuoteSchema,
    toDate: date.nullable(),
    declined: z.array(z.string()),
  }),
});
