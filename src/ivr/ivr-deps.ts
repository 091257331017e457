import type { TurnDeps } from '../turns/run-turn.js';
import type { Locale } from '../flows/inbound-call.machine.js';
import type { BusinessHours } from '../shared/business-hours.js';
import type { IvrLookups } from './ivr-lookups.js';
import type { PromptCatalog } from './prompts/prompt-catalog.js';

/** What the voice use-cases need: the turn runtime plus wording and the insurer's identity. */
export type IvrDeps = TurnDeps & {
  prompts: PromptCatalog;
  insurerName: string;
  defaultLocale: Locale;
  /** Twilio queue where callers wait for a specialist. */
  queueName: string;
  holdMusicUrl: string;
  /** When specialists answer; options that need a person follow it. */
  businessHours: BusinessHours;
  /** Unique name of the Stripe Pay Connector on the Twilio account. */
  payConnector: string;
  lookups: IvrLookups;
  /**
   * Session-key prefixes of the flows a call may be handed over to (`retention` for
   * `retention:<CallSid>`): each hears CALL_ENDED when the call ends.
   */
  callSubflows?: readonly string[];
};
