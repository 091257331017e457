import { CARRIER_FILE_NAME } from './carrier-file.js';
import { CarrierUnreachableError, textThroughCarrier, type CarrierEndpoint } from './carrier-client.js';
import { unreachable } from './cli-args.js';
import { sendSms, type SmsReply } from './sms-sender.js';
import type { WebhookTarget } from './webhook-target.js';

/**
 * One person texting one of our numbers from the terminal: through the simulated carrier
 * when one runs (`carrier`), else straight to the gateway's webhook (`target`).
 */
export type TextSession = {
  target: WebhookTarget;
  carrier: CarrierEndpoint | null;
  /** The person's number. */
  from: string;
  /** Our number they text. */
  to: string;
  /** Prints a line of the conversation (stdout). */
  print: (line: string) => void;
  /** Prints a problem (stderr). */
  warn: (line: string) => void;
};

/** Exit code 0 (answered), 1 (the answer or the carrier's was unusable), 2 (gateway or carrier unreachable); `cursor` is the inbox's before the text, through the carrier. */
export type TextOutcome = { code: 0 | 1 | 2; cursor?: number };

const printReplies = (s: TextSession, replies: readonly SmsReply[]) => {
  if (replies.length === 0) s.print('(no reply)');
  for (const r of replies) s.print(`${r.to ?? s.from} <- ${r.body}${r.media.length ? ` [media: ${r.media.join(', ')}]` : ''}`);
};

const direct = async (s: TextSession, body: string): Promise<TextOutcome> => {
  const result = await sendSms(s.target, { from: s.from, to: s.to, body });
  if (result.exchange.error !== undefined) {
    s.warn(unreachable(s.target, result.exchange.error));
    return { code: 2 };
  }
  if (result.error !== undefined) {
    s.warn(`The gateway's answer could not be used: ${result.error}`);
    return { code: 1 };
  }
  printReplies(s, result.replies);
  return { code: 0 };
};

const throughCarrier = async (s: TextSession, carrier: CarrierEndpoint, body: string): Promise<TextOutcome> => {
  let answer;
  try {
    answer = await textThroughCarrier(carrier, { from: s.from, to: s.to, body });
  } catch (err) {
    if (err instanceof CarrierUnreachableError) {
      s.warn(`${err.message} Is the worker running? (A ${CARRIER_FILE_NAME} left under DATA_DIR by a worker that is gone can be deleted.)`);
      return { code: 2 };
    }
    s.warn(err instanceof Error ? err.message : String(err));
    return { code: 1 };
  }
  if (answer.unreachable !== undefined) {
    s.warn(unreachable({ gatewayUrl: answer.gatewayUrl }, answer.unreachable));
    return { code: 2, cursor: answer.cursor };
  }
  if (answer.error !== undefined) {
    s.warn(`The gateway's answer could not be used: ${answer.error}`);
    return { code: 1, cursor: answer.cursor };
  }
  printReplies(s, answer.replies);
  if (answer.keyword === 'opt-out') s.print(`(carrier: ${s.to} may no longer text ${s.from}; Twilio refuses it with 21610 until you text START)`);
  if (answer.keyword === 'opt-in') s.print(`(carrier: ${s.to} may text ${s.from} again)`);
  return { code: 0, cursor: answer.cursor };
};

/** Sends one text and prints the gateway's TwiML replies (and, through the carrier, what it did with an opt-out or opt-in keyword). */
export const sendText = (s: TextSession, body: string): Promise<TextOutcome> =>
  s.carrier ? throughCarrier(s, s.carrier, body) : direct(s, body);
