import type { PayResult } from '../../shared/webhook-edge/twilio-pay-results.js';
import type { CallEvent } from './call-events.js';

/** What the caller does at a `<Gather>`. */
export type GatherInput =
  | { digits: string }
  | { speech: string; confidence?: number }
  | { silence: true }
  | 'hangup';

export type { PayResult } from '../../shared/webhook-edge/twilio-pay-results.js';

/** How a simulated `<Pay>` ends; every field has a realistic default. */
export type PayOutcome = {
  /** Default `success`. */
  result?: PayResult;
  /** Full test card number; only its last four digits are ever sent (default `4242424242424242`). */
  cardNumber?: string;
  /** Default derived from the card number (`visa`, `mastercard`, `amex`…). */
  cardType?: string;
  /** MMYY, default `1230`. */
  expirationDate?: string;
  paymentToken?: string;
  profileId?: string;
  /** Sent only when `chargeAmount` > 0; default a fresh `ch_…`. */
  confirmationCode?: string;
  /** For failures, e.g. `card is declined`. */
  paymentError?: string;
  payErrorCode?: string;
  connectorError?: string;
  /** Post `<Pay statusCallback>` progress callbacks before the action (default true when a statusCallback is set). */
  progress?: boolean;
};

/** What happens to the party a `<Dial>` rings. */
export type DialOutcome = {
  /** `DialCallStatus`; default `completed` (`answered` for a conference). */
  status?: 'completed' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';
  /** Seconds the bridged call lasted (default 30 when connected, else 0). */
  duration?: number;
};

/** What happens to a caller put in a queue with `<Enqueue>`. */
export type EnqueueOutcome = {
  /** `QueueResult`; default `bridged`. */
  result?: 'bridged' | 'bridging-in-process' | 'queue-full' | 'error' | 'hangup' | 'leave' | 'redirected' | 'system-shutdown';
  /** Seconds waited (default 10). */
  queueTime?: number;
};

/**
 * What a participant does in a conference (asked once, when it joins): hang up (now, or after talking
 * `talkSeconds` once the conference has started), or stay until the conference drops it.
 */
export type ConferenceOutcome = { hangUpAfterSeconds: number } | 'stay' | 'hangup';

/** A conference a call joined (`<Dial><Conference>` on a carrier that plays conferences). */
export type ConferenceRequest = { name: string; conferenceSid: string; label?: string; started: () => boolean };

/** A `<Gather>` the caller is asked to answer. */
export type GatherRequest = { input: string[]; numDigits?: number; finishOnKey: string; timeout: number; language?: string; hints?: string };
/** A `<Pay>` the caller is asked to complete. */
export type PayRequest = { chargeAmount: number; currency: string; paymentMethod: string; tokenType?: string; description?: string };
/** The targets of a `<Dial>`. */
export type DialRequest = { targets: DialTarget[] };
/** One `<Dial>` noun (or the plain number written inside `<Dial>`). */
export type DialTarget = { kind: 'number' | 'client' | 'conference' | 'queue' | 'sip'; value: string; attrs: Record<string, string> };

/**
 * The caller's side of a simulated call. The player asks it whenever Twilio
 * would wait for the caller (or the far end of a `<Dial>`), and tells it what
 * the caller hears.
 */
export type InputProvider = {
  /** Called with every event of the call as it happens (what is said, played, dialled). */
  hear?: (event: CallEvent) => void | Promise<void>;
  gather: (request: GatherRequest) => Promise<GatherInput>;
  pay: (request: PayRequest) => Promise<PayOutcome | 'hangup'>;
  dial: (request: DialRequest) => Promise<DialOutcome | 'hangup'>;
  enqueue?: (queue: string) => Promise<EnqueueOutcome | 'hangup'>;
  /** In a real (simulated) conference; absent: the participant stays until the conference drops it. */
  conference?: (request: ConferenceRequest) => Promise<ConferenceOutcome>;
};
