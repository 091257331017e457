/** A text the carrier accepted: its id there and its status when last seen. */
export type SentSms = { providerId: string; status: string };

/**
 * The carrier refused a text for good (not an outage): sending it again cannot succeed. `code` is
 * the carrier's (Twilio: 21610 the recipient replied STOP to this sender, 21211 not a valid number,
 * 21614 not a mobile number, 21408 region not enabled, 21612 unreachable by this sender).
 */
export class CarrierRefusedError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'CarrierRefusedError';
  }
}

/** The carrier's code for "the recipient unsubscribed from this sender" (replied STOP to it). */
export const UNSUBSCRIBED_RECIPIENT = 21610;

/** Port: sends one SMS through the carrier. Adapters: Twilio (real or simulated carrier). */
export type SmsSender = {
  /** Throws CarrierRefusedError when the carrier refuses the text for good; anything else is worth retrying. */
  /** `mediaUrls`: public URLs the carrier fetches and attaches (MMS; Twilio's MediaUrl, up to 10). */
  send: (m: { to: string; from: string; body: string; statusCallback?: string; mediaUrls?: readonly string[] }) => Promise<SentSms>;
  /**
   * A text already sent from `from` to `to` with exactly this body, created at or after `since`
   * (less a minute for the two clocks), or null. Asked before sending again when an earlier run of
   * the same job may have sent it and died before recording it.
   */
  findSent: (m: { to: string; from: string; body: string; since: Date }) => Promise<SentSms | null>;
};
