import type { TurnDeps } from '../turns/run-turn.js';
import type { Locale } from '../flows/inbound-call.machine.js';
import type { SmsCatalog } from './sms-catalog.js';

import type { AccountFacts } from '../flows/sms-conversation.types.js';

export type SmsDeps = TurnDeps & {
  smsCatalog: SmsCatalog;
  insurerName: string;
  defaultLocale: Locale;
  /** The policyholder, policies and open dues a text from this number may hear about (findSmsAccount). */
  smsAccount: (phone: string) => Promise<AccountFacts>;
  /** How long a payment quote waits for YES. */
  quoteWindowMs: number;
};
