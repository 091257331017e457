import type { CardOnFile, Locale } from './inbound-call.types.js';
import type { OfferKind, OfferQuote, RetentionReason } from './retention-call.types.js';
import type { SmsConversationInput, SmsThreadContext, SmsThreadEvent } from './sms-thread.setup.js';

/** What a text that is not a keyword asks for (src/sms/classify-intent.ts). */
export type SmsIntent = 'balance' | 'pay' | 'link' | 'confirm' | 'cancel-policy' | 'person' | 'cancel-now' | 'keep' | 'decline' | 'choice';

/**
 * A cancellation being talked through by text (version 4): the policy, the case it is (the text that
 * asked, as the retention jobs' `callSid`), where it stands, and the offers made. It lapses a day
 * after it began: a late answer starts over.
 */
export type SmsRetention = {
  caseRef: string;
  policyId: string;
  policyNumber: string;
  product: string;
  step: 'reason' | 'offer' | 'decide';
  reason: RetentionReason | null;
  /** At most two, priced when the reason was given; `offerIndex` is the one waiting for an answer. */
  offers: OfferQuote[];
  offerIndex: number;
  declined: OfferKind[];
  startedAt: string;
};

/** One open premium due of the customer, as the conversation may tell it. */
export type OpenDue = {
  policyId: string;
  policyNumber: string;
  dueId: string;
  amountCents: number;
  currency: string;
  dueDate: string;
  card: CardOnFile | null;
};

/**
 * What we know of the person texting, looked up by the webhook before the turn when the message
 * needs it. `holder` null: the number is nobody's, or several holders share it (then nothing about
 * any policy is said by text).
 */
export type AccountFacts = {
  holder: { id: string } | null;
  policies: { policyId: string; policyNumber: string; status: string; product?: string }[];
  dues: OpenDue[];
};

/** A payment offered by text, waiting for the customer's YES until `expiresAt`. */
export type PaymentQuote = {
  quoteId: string;
  dueId: string;
  policyId: string;
  policyNumber: string;
  amountCents: number;
  currency: string;
  paymentMethodId: string;
  last4: string | null;
  brand: string | null;
  expiresAt: string;
};

/** Every reply the conversation can give; the renderer words each one per locale. */
export type SmsReplyKey =
  | NonNullable<SmsThreadContext['reply']>
  | 'balance' | 'nothingDue' | 'unknownNumber' | 'policyNotFound' | 'payWhich' | 'payQuote' | 'quoteRenewed'
  | 'paying' | 'linkComing' | 'cancelPolicy' | 'cancelWhich' | 'nothingToCancel' | 'options' | 'offerPerson'
  | 'retentionReason' | 'offerDowngrade' | 'offerMoveDate' | 'offerSkip' | 'offerExplain' | 'retentionDecide'
  | 'retentionMisSold' | 'retentionBadDay';

/** The facts a reply words (amounts in cents, dates as YYYY-MM-DD); the renderer formats them. */
export type SmsReplyData = {
  dues?: { policyNumber: string; amountCents: number; currency: string; dueDate: string }[];
  quote?: Pick<PaymentQuote, 'policyNumber' | 'amountCents' | 'currency' | 'last4' | 'brand'> & { minutes: number };
  policyNumber?: string | null;
  /** Policy numbers to choose from. */
  policies?: string[];
  /** The retention offer being made. */
  offer?: OfferQuote;
};

/** An inbound text as version 3 receives it: the thread event plus what the message asks and the facts it needs. */
export type SmsConversationEvent = SmsThreadEvent & {
  intent?: SmsIntent | null;
  /** A policy number the customer named. */
  policyNumber?: string | null;
  /** The language the words are in, when they say it. */
  language?: Locale | null;
  /** Present when the intent needs it. */
  account?: AccountFacts | null;
  /** When the message came (ISO): quotes expire by it. */
  at?: string;
  /** How long a quote waits for YES (configuration). */
  quoteWindowMs?: number;
  /** A numbered answer (a reason, a payment day). */
  choice?: number | null;
  /** Today in the insurer's calendar (YYYY-MM-DD): the day a cancellation by text takes effect. */
  today?: string;
  /** The offers for the reason given, chosen by the rules and priced from the policy (looked up when a reason is answered). */
  offers?: OfferQuote[];
  /** The due date a payment day gives, for a move-date offer (null: not a valid day). */
  toDate?: string | null;
};

export type SmsConversationContext = SmsConversationInput & {
  /** Messages received on the thread. */
  messages: number;
  /** What to answer the last message with (null: nothing), and the facts it words. */
  reply: SmsReplyKey | null;
  /** This thread confirmed an opt-out and no opt-in came since: a repeated STOP gets no second confirmation. */
  optOutConfirmed: boolean;
  /** The locale is the holder's stored one; otherwise the language the customer writes in wins. */
  localeFromRecord: boolean;
  replyData: SmsReplyData | null;
  quote: PaymentQuote | null;
  /** Messages in a row we did not understand; the second offers a person. */
  notUnderstood: number;
  /** A cancellation being talked through (version 4; absent in earlier versions' threads). */
  retention?: SmsRetention | null;
};
