/**
 * Port: starts and steers live calls (Twilio's Calls API). Adapter: Twilio
 * (real or the simulated carrier). Every method may throw on an outage; the
 * jobs that call it retry.
 */
export type CallControl = {
  /** Rings `to` from `from`; once answered the call runs the TwiML at `url`. Returns the new call's id. */
  dial: (o: { to: string; from: string; url: string; statusCallback: string; timeoutSeconds: number }) => Promise<{ callSid: string }>;
  /**
   * Rings `to` from `from` with asynchronous answering machine detection (waiting for a voicemail
   * greeting's end): the TwiML at `url` runs as soon as the call is answered, and the verdict
   * (`AnsweredBy`) is posted to `amdCallback` later, while it plays. Returns the new call's id.
   */
  dialWithAmd: (o: { to: string; from: string; url: string; statusCallback: string; amdCallback: string; timeoutSeconds: number }) => Promise<{ callSid: string }>;
  /** Moves a live call to the TwiML at `url` (out of a conference wait, say); false when the call is already over. */
  redirect: (callSid: string, url: string) => Promise<boolean>;
  /** Ends a call: hangs up one in progress, cancels one still ringing. A call already over is not an error. */
  hangup: (callSid: string) => Promise<void>;
};
