/**
 * The keywords Twilio itself acts on for the simulated carrier's opt-out list.
 *
 * Sources: Twilio, "Customize users' opt-in and opt-out experience with Advanced Opt-Out"
 * (https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out): by default Twilio handles
 * STOP, UNSUBSCRIBE, END, QUIT, STOPALL, REVOKE, OPTOUT and CANCEL; and "Twilio support for opt-out
 * keywords (SMS STOP filtering)" (https://help.twilio.com/hc/en-us/articles/223134027): START, YES and
 * UNSTOP opt back in, and only a single-word message triggers the block ("STOP PLEASE" does not).
 * PARAR stands for a Messaging Service with Advanced Opt-Out configured for Spanish speakers.
 *
 * These are the carrier's lists, not the gateway's: src/sms/classify-keyword.ts is what the
 * gateway honours on its own (more words, punctuation ignored); the two differ on purpose.
 */
export const CARRIER_OPT_OUT_KEYWORDS: readonly string[] = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT', 'PARAR'];
export const CARRIER_OPT_IN_KEYWORDS: readonly string[] = ['START', 'YES', 'UNSTOP'];

/** What the carrier does with an inbound text: block its sender pair, lift the block, or nothing. */
export type CarrierKeyword = 'opt-out' | 'opt-in' | null;

/**
 * Matches like Twilio: the whole body, trimmed, case-insensitive, must be the keyword
 * (`"  stop "` counts, `"stop please"` and `"stop."` do not).
 */
export const carrierKeyword = (body: string): CarrierKeyword => {
  const word = body.trim().toUpperCase();
  if (CARRIER_OPT_OUT_KEYWORDS.includes(word)) return 'opt-out';
  if (CARRIER_OPT_IN_KEYWORDS.includes(word)) return 'opt-in';
  return null;
};
