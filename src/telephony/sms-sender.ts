/** A text the carrier accepted: its id there and its status when last seen. */
export type SentSms = { providerId: string; status: string };

/** Port: sends one SMS through the carrier. Adapters: Twilio (real or simulated carrier). */
export type SmsSender = {
  send: (m: { to: string; from: string; body: string; statusCallback?: string }) => Promise<SentSms>;
  /**
   * A text already sent from `from` to `to` with exactly this body, created at or after `since`
   * (less a minute for the two clocks), or null. Asked before sending again when an earlier run of
   * the same job may have sent it and died before recording it.
   */
  findSent: (m: { to: string; from: string; body: string; since: Date }) => Promise<SentSms | null>;
};
