import type { Locale } from './inbound-call.types.js';

/**
 * Types of the cancellation-retention call. The machine is pure: the webhook
 * looks up the policy, chooses the offers by the rules (src/retention/offers)
 * and prices them before the event reaches it; the renderer says them.
 */

/** Why a caller wants to cancel (the order callers hear them in, key 1 to 6). */
export const RETENTION_REASONS = ['too-expensive', 'found-cheaper', 'no-longer-needed', 'family-objects', 'mis-sold', 'other'] as const;
export type RetentionReason = (typeof RETENTION_REASONS)[number];

export const OFFER_KINDS = ['downgrade-tier', 'downgrade-sum', 'move-date', 'skip-instalment', 'explain-cover'] as const;
export type OfferKind = (typeof OFFER_KINDS)[number];

/**
 * An offer as quoted to the caller, priced from the policy's own data when it
 * was chosen: accepting applies exactly this (the job refuses it when the
 * policy changed since). Money in integer cents, dates 'YYYY-MM-DD'.
 */
export type OfferQuote =
  | {
      kind: 'downgrade-tier' | 'downgrade-sum';
      fromTier: string;
      toTier: string;
      fromSumInsuredCents: number;
      toSumInsuredCents: number;
      fromPremiumCents: number;
      toPremiumCents: number;
      currency: string;
      /** First due date the new premium applies to. */
      effectiveDate: string;
    }
  | {
      kind: 'move-date';
      dueId: string;
      fromDate: string;
      amountCents: number;
      currency: string;
    }
  | {
      kind: 'skip-instalment';
      dueId: string;
      fromDate: string;
      /** The skipped instalment is paid with the next: one due of both amounts on this date. */
      toDate: string;
      fromAmountCents: number;
      toAmountCents: number;
      currency: string;
    }
  | { kind: 'explain-cover'; product: string };

/** What a cancellation now would mean, quoted before the caller is asked. */
export type CancelQuote = {
  /** The day cover ends (today, in the insurer's calendar). */
  effectiveDate: string;
  refundCents: number;
  currency: string;
};

export type RetentionPolicy = { policyId: string; policyNumber: string; product: string };

export type RetentionCallInput = {
  callSid: string;
  from: string;
  locale: Locale;
  policyholderId: string;
  firstName: string;
  policy: RetentionPolicy;
};

export type RetentionChoice =
  | { kind: 'reason'; reason: RetentionReason }
  | { kind: 'accept' }
  | { kind: 'decline' }
  | { kind: 'cancel-now' }
  | { kind: 'keep' }
  | { kind: 'person' }
  | { kind: 'repeat' }
  | { kind: 'yes' }
  | { kind: 'back' }
  | { kind: 'invalid' };

export type RetentionCallEvent =
  /**
   * What the caller chose at a prompt, with what the webhook looked up for it:
   * the offers for a reason (at most two, ordered by the rules), the quote of a
   * cancellation when the choice may lead to one, business hours for a person.
   */
  | { type: 'CHOICE'; choice: RetentionChoice; offers?: OfferQuote[]; cancel?: CancelQuote; open?: boolean }
  /** A payment day keyed in (1-28) and the due date it gives; null when the entry was not a valid day. */
  | { type: 'PAYMENT_DAY'; day: number | null; toDate: string | null }
  | { type: 'NO_INPUT'; open?: boolean; cancel?: CancelQuote }
  /**
   * The caller's wait for a specialist ended (the conference's Dial action, or the gateway moving the
   * caller out of the wait): how the transfer stands, as recorded by the transfer's webhooks and jobs.
   */
  | { type: 'TRANSFER_ENDED'; outcome: TransferOutcome }
  | { type: 'CALL_ENDED'; status: string };

/**
 * How a warm transfer stood when the caller's wait ended: bridged to a specialist (and the call since
 * over), nobody took it, the caller hung up on hold, or still ringing (the wait ended some other way).
 */
export type TransferOutcome = 'bridged' | 'ended' | 'no-specialist' | 'abandoned' | 'ringing';

export type RetentionNotice = 'no-input' | 'invalid' | 'bad-day' | 'no-specialist';

export type RetentionCallContext = RetentionCallInput & {
  reason: RetentionReason | null;
  offers: OfferQuote[];
  /** The offer being made (index into offers). */
  offerIndex: number;
  declined: OfferKind[];
  accepted: OfferQuote | null;
  /** A new payment day being confirmed (move-date). */
  paymentDay: { day: number; toDate: string } | null;
  cancel: CancelQuote | null;
  attempts: number;
  notice: RetentionNotice | null;
  open: boolean;
  /** Whether the caller was routed to a person with priority (a mis-selling complaint). */
  priority: boolean;
  endReason: string | null;
};
