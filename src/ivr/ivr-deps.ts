import type { TurnDeps } from '../turns/run-turn.js';
import type { Locale, TransferOutcome } from '../flows/inbound-call.machine.js';
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
  /** Warm transfers (src/retention/transfer): who can take one now, and how a caller's wait ended. Without it, business hours decide and a wait ends as nobody available. */
  transfers?: TransferPort;
};

/** The warm transfer as the IVR sees it (a port: the IVR imports nothing of retention). */
export type TransferPort = {
  /** Whether a specialist could take a transfer now (active, available, within their hours). */
  servingNow: () => Promise<boolean>;
  /**
   * How the caller's transfer stands as their wait ends (the conference's Dial action, or the
   * gateway moving them out of it). `callStatus` completed: the caller hung up on hold.
   */
  outcomeOnReturn: (callSid: string, callStatus: string | undefined) => Promise<TransferOutcome>;
};
