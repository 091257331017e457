import { DateTime } from 'luxon';
import { z } from 'zod';
import { EvidenceType } from '../../evidence/evidence-event.js';
import type { OfferQuote } from '../../flows/retention-call.types.js';
import { applyOfferJob } from '../../jobs/contracts/apply-offer.job.js';
import { bookCallbackJob } from '../../jobs/contracts/book-callback.job.js';
import { cancelPolicyJob } from '../../jobs/contracts/cancel-policy.job.js';
import { outboxRow, type OutboxRow } from '../../jobs/outbox-rows.js';
import type { BusinessHours } from '../../shared/business-hours.js';
import type { RetentionOffers } from '../offers/offer-rules-config.js';
import { findPolicyFacts } from '../offers/find-policy-facts.js';
import { movedDueDate, priceMoveDate, priceSkipInstalment, priceSumDowngrade, priceTierDowngrade } from '../offers/reprice.js';
import { recordTransferStep } from './record-transfer-step.js';
import type { TransferWebDeps } from './transfer-deps.js';
import type { Transfer } from './transfer-store.js';

/** What a specialist decided with the caller, as the outcome API takes it. */
export const specialistOutcomeSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('saved') }),
  z.strictObject({ outcome: z.literal('downgraded'), to: z.enum(['tier', 'sum']) }),
  z.strictObject({ outcome: z.literal('payment-date-moved'), day: z.number().int().min(1, 'day must be 1 to 28').max(28, 'day must be 1 to 28') }),
  z.strictObject({ outcome: z.literal('instalment-skipped') }),
  z.strictObject({ outcome: z.literal('cancelled') }),
  z.strictObject({ outcome: z.literal('callback') }),
], { error: 'outcome must be one of saved, downgraded, payment-date-moved, instalment-skipped, cancelled, callback' });
export type SpecialistOutcome = z.infer<typeof specialistOutcomeSchema>;

/** A decision that cannot be carried out on this policy as it stands (lowest tier already, nothing due to move...). */
export class OutcomeNotApplicable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutcomeNotApplicable';
  }
}

export type SpecialistOutcomeDeps = TransferWebDeps & { offers: RetentionOffers; businessHours: BusinessHours };

/**
 * Carries out what a specialist agreed with a transferred caller, through the same jobs as the IVR
 * (so the same effects, texts and evidence): the offer priced from the policy as it is now, or the
 * cancellation from today with its refund, or a callback. The case is the caller's call, so a call
 * decides once whoever records it. Returns what was queued.
 */
export const recordSpecialistOutcome = async (
  deps: SpecialistOutcomeDeps, t: Transfer, decision: SpecialistOutcome, by: { name: string; specialistId: string | null },
): Promise<{ queued: string; offer: OfferQuote | null }> => {
  if (!t.policyId || !t.policyholderId) throw new OutcomeNotApplicable('this transfer is about no identified policy');
  const now = deps.clock.now();
  const today = DateTime.fromJSDate(now, { zone: deps.businessHours.zone }).toISODate()!;
  const facts = await findPolicyFacts(deps.db, t.policyId, now);
  if (!facts) throw new OutcomeNotApplicable('the policy of this transfer no longer exists');
  const terms = deps.offers.products[facts.product];
  // why: the case is the caller's call (opened by the IVR's cancel): deciding it here decides that case, not a second one.
  const kase = {
    policyId: t.policyId, policyholderId: t.policyholderId, callSid: t.callerCallSid, channel: t.flow === 'retention' ? 'ivr' as const : 'specialist' as const,
    locale: t.locale, phone: t.callerPhone, reason: t.context.reason,
  };
  const declined = t.context.offersDeclined;
  const at = { runAt: now, correlation: `transfer:${t.id}` };
  let row: OutboxRow;
  let offer: OfferQuote | null = null;
  const need = <T>(v: T | null, why: string): T => {
    if (v === null) throw new OutcomeNotApplicable(why);
    return v;
  };
  switch (decision.outcome) {
    case 'saved':
      offer = { kind: 'explain-cover', product: facts.product };
      row = outboxRow(applyOfferJob, { ...kase, offer, toDate: null, declined }, at);
      break;
    case 'downgraded':
      offer = need(terms ? (decision.to === 'tier' ? priceTierDowngrade(facts, terms, today) : priceSumDowngrade(facts, terms, today)) : null,
        `no lower ${decision.to === 'tier' ? 'tier' : 'sum insured'} for this ${facts.product} policy`);
      row = outboxRow(applyOfferJob, { ...kase, offer, toDate: null, declined }, at);
      break;
    case 'payment-date-moved': {
      offer = need(priceMoveDate(facts), 'this policy has no open payment to move');
      const toDate = need(offer.kind === 'move-date' ? movedDueDate(offer.fromDate, decision.day, today) : null, `day ${decision.day} gives no later payment date`);
      row = outboxRow(applyOfferJob, { ...kase, offer, toDate, declined }, at);
      break;
    }
    case 'instalment-skipped':
      offer = need(terms ? priceSkipInstalment(facts, terms) : null, `this ${facts.product} policy does not allow skipping an instalment now`);
      row = outboxRow(applyOfferJob, { ...kase, offer, toDate: null, declined }, at);
      break;
    case 'cancelled':
      row = outboxRow(cancelPolicyJob, { ...kase, effectiveDate: today, ground: t.priority ? 'mis-selling' : 'cancellation', declined }, at);
      break;
    case 'callback':
      row = outboxRow(bookCallbackJob, {
        phone: t.callerPhone, policyholderId: t.policyholderId, policyId: t.policyId, reason: t.priority ? 'mis-selling' : 'cancel', locale: t.locale, callSid: t.callerCallSid,
      }, at);
      break;
  }
  await recordTransferStep(deps, t, async () => ({
    value: null,
    step: {
      evidence: [{ type: EvidenceType.TRANSFER_OUTCOME, providerRef: t.callerCallSid, payload: { transferId: t.id, outcome: 'specialist-decision', decision, by: by.name, specialistId: by.specialistId, offer } }],
      outbox: [row],
    },
  }));
  return { queued: row.topic, offer };
};
