import type { TurnDeps } from '../turns/run-turn.js';
import type { Locale } from '../flows/inbound-call.machine.js';
import type { SmsCatalog } from './sms-catalog.js';

import type { AccountFacts } from '../flows/sms-conversation.types.js';
import type { OfferQuote, RetentionReason } from '../flows/retention-call.types.js';

/** The retention rules a cancellation by text needs (the retention domain provides them: src/retention/sms-retention-port.ts). */
export type SmsRetentionPort = {
  /** The offers for a reason, chosen by the rules and priced from the policy as it is now, in order. */
  offersFor: (policyId: string, reason: RetentionReason, today: string) => Promise<OfferQuote[]>;
  /** The due date a payment day (1-28) gives for a due on `fromDate`; null when the day is not one. */
  movedDate: (fromDate: string, day: number, today: string) => string | null;
  /** What a product's cover protects, in the customer's language; null when the rules file does not say. */
  coverText: (product: string, locale: Locale) => string | null;
};

export type SmsDeps = TurnDeps & {
  smsCatalog: SmsCatalog;
  insurerName: string;
  defaultLocale: Locale;
  /** The policyholder, policies and open dues a text from this number may hear about (findSmsAccount). */
  smsAccount: (phone: string) => Promise<AccountFacts>;
  /** How long a payment quote waits for YES. */
  quoteWindowMs: number;
  /** The offers and dates a cancellation by text is talked through with. */
  retention: SmsRetentionPort;
  /** The insurer's zone (BUSINESS_HOURS): its calendar says what day a cancellation takes effect. */
  homeZone: string;
};
