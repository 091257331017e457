import type { PayResult } from '../shared/webhook-edge/twilio-pay-results.js';
import type { TransferOutcome } from './retention-call.types.js';

export type { TransferOutcome } from './retention-call.types.js';
/**
 * Types of the inbound-call flow. The machine is pure: webhook handlers look
 * things up and put the facts in events; the renderer turns state into TwiML.
 */

export type Locale = 'en-US' | 'es-US';

/** What the IVR may know about a policy; never verification values. */
export type PolicySummary = {
  policyId: string;
  policyNumber: string;
  status: string;
};

export type CallerMatch = {
  policyholderId: string;
  firstName: string;
  locale: Locale;
  policies: PolicySummary[];
  /** The policy whose number the caller gave (identified by policy number): the call is about it. */
  policyGiven?: string;
  /** Which factor verifies this caller when they were not matched by caller ID. */
  verifyBy?: 'zip' | 'dob';
};

/** A saved card, by provider reference only (brand and last four for the prompt). */
export type CardOnFile = { paymentMethodId: string; brand: string | null; last4: string | null };

/** Where a due stands on the policyholder's calendar day when the caller asked. */
export type DueStanding = 'upcoming' | 'due-today' | 'overdue' | 'past-grace';

/** The open premium due of the selected policy, looked up when the caller asks. */
export type DueInfo = {
  dueId: string;
  amountCents: number;
  currency: string;
  dueDate: string;
  /** Absent in snapshots saved before it was looked up: read as upcoming. */
  standing?: DueStanding;
  /** The last day of the grace period ('2026-12-31'). */
  graceEndDate?: string;
  cardOnFile: CardOnFile | null;
};

export type InboundCallInput = {
  callSid: string;
  from: string;
  to: string;
  /** Set when the caller ID matches exactly one policyholder. */
  caller: CallerMatch | null;
  defaultLocale: Locale;
};

export type MenuChoice =
  | 'pay'
  | 'due'
  | 'cancel'
  | 'person'
  | 'repeat'
  | 'language'
  | 'card-on-file'
  | 'new-card'
  | 'back'
  | 'yes'
  | 'invalid';

export type { PayResult } from '../shared/webhook-edge/twilio-pay-results.js';

export type InboundCallEvent =
  | { type: 'POLICY_LOOKUP'; match: CallerMatch | null }
  | { type: 'VERIFICATION'; passed: boolean }
  | { type: 'POLICY_CHOICE'; index: number | null }
  /** `due` is attached for pay/due choices; `open` (business hours) for choices that need a person. */
  | { type: 'MENU'; choice: MenuChoice; due?: DueInfo | null; open?: boolean }
  /** `open` (business hours) is attached where silence leads to a person (the offer of one). */
  | { type: 'NO_INPUT'; open?: boolean }
  | { type: 'QUEUE_LEFT'; result: string }
  /** The caller's wait for a specialist in their conference ended (version 3): how the transfer stands. */
  | { type: 'TRANSFER_ENDED'; outcome: TransferOutcome }
  | { type: 'PAY_RESULT'; result: PayResult; paymentMethodId: string | null; last4: string | null; brand: string | null }
  | {
      type: 'PAYMENT_STATUS';
      status: 'pending' | 'succeeded' | 'failed';
      confirmation: string | null;
      /** The decline in words a caller can act on. */
      reason: string | null;
    }
  | { type: 'CALL_ENDED'; status: string };

export type Notice =
  | 'no-input'
  | 'invalid'
  | 'not-found'
  | 'verify-failed'
  | 'no-due'
  | 'already-cancelled'
  | 'card-not-captured'
  | 'payment-pending-long'
  /** Nobody took the caller's warm transfer. */
  | 'no-specialist';

export type InboundCallContext = {
  callSid: string;
  from: string;
  to: string;
  locale: Locale;
  /** Who we are talking to, once identified (by caller ID or verification). */
  identified: CallerMatch | null;
  /** Identified by caller ID (true) or by policy number and verification (false). */
  byCallerId: boolean;
  /** A policy number was entered and found; verification pending. */
  candidate: CallerMatch | null;
  /** The policy this call is about (chosen when the caller has several). */
  policy: PolicySummary | null;
  /** Failed tries at the current step (no input, bad input, no match). */
  attempts: number;
  /** Said before the next prompt (why it is repeated, or what just happened). */
  notice: Notice | null;
  /** Whether the next main-menu prompt starts with the personal greeting. */
  greet: boolean;
  due: DueInfo | null;
  /** The card being charged: on file, or tokenized by <Pay> in this call. */
  paying: CardOnFile | null;
  /** Status polls while the charge runs (each one a short hold). */
  paymentWaits: number;
  /** New-card captures tried in this call. */
  cardTries: number;
  confirmation: string | null;
  declineReason: string | null;
  /** Business hours at the last check. */
  open: boolean;
  /** Why the caller was routed to a person, for the specialist's screen. */
  personReason: 'asked' | 'cancel' | 'trouble' | null;
  endReason: string | null;
};
