import type { CardOnFile, Locale } from './inbound-call.types.js';
import type { SmsConversationInput, SmsThreadContext, SmsThreadEvent } from './sms-thread.setup.js';

/** What a text that is not a keyword asks for (src/sms/classify-intent.ts). */
export type SmsIntent = 'balance' | 'pay' | 'link' | 'confirm' | 'cancel-policy' | 'person';

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
  policies: { policyId: string; policyNumber: string; status: string }[];
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
  | 'paying' | 'linkComing' | 'cancelPolicy' | 'cancelWhich' | 'nothingToCancel' | 'options' | 'offerPerson';

/** The facts a reply words (amounts in cents, dates as YYYY-MM-DD); the renderer formats them. */
export type SmsReplyData = {
  dues?: { policyNumber: string; amountCents: number; currency: string; dueDate: string }[];
  quote?: Pick<PaymentQuote, 'policyNumber' | 'amountCents' | 'currency' | 'last4' | 'brand'> & { minutes: number };
  policyNumber?: string | null;
  /** Policy numbers to choose from. */
  policies?: string[];
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
};
