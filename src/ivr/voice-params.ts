import { z } from 'zod';
import { maskCardNumbers } from '../shared/redact.js';
import { EXPECTS, type Expect } from './twiml/render-call.js';

/**
 * What Twilio posts on a voice webhook. Only the fields we read are checked;
 * the rest pass through (and are recorded, redacted). A request that fails
 * this is not from a Twilio call: 400 with the reason, nothing written.
 */
const sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a ${prefix} sid`);
/** E.164, or what Twilio sends for a withheld or SIP caller: kept as text, matched only when E.164. */
const party = z.string().max(128);

export const voiceCallParams = z
  .object({
    CallSid: sid('CA'),
    AccountSid: sid('AC'),
    From: party.default(''),
    To: party.default(''),
    CallStatus: z.string().max(32).optional(),
    Direction: z.string().max(32).optional(),
  })
  .loose();

/**
 * What the caller keyed or said comes out of parsing with any card number
 * masked (`[pan:1111]`, see maskCardNumbers): the machine, the evidence, the
 * stored answers and the logs never see it, whatever prompt it was entered at.
 */
export const voiceInputParams = voiceCallParams.extend({
  // A card number keyed here arrives masked by the edge (clean-text.ts) as [pan:1111], and is accepted as such.
  Digits: z.string().max(64).regex(/^(?:[0-9*#w]|\[pan:\d{4}\])*$/, 'must be keypad digits').transform(maskCardNumbers).optional(),
  SpeechResult: z.string().max(2000).transform(maskCardNumbers).optional(),
  Confidence: z.coerce.number().min(0).max(1).optional(),
  QueueResult: z.string().max(64).optional(),
  // <Pay> action: provider references and masked card facts only (Twilio never sends the number).
  Result: z.string().max(64).optional(),
  PaymentToken: z.string().max(255).regex(/^[\w-]*$/, 'must be a provider token').optional(),
  PaymentCardNumber: z.string().max(32).optional(),
  PaymentCardType: z.string().max(32).optional(),
});

export const voiceTurnQuery = z.object({
  step: z.coerce.number().int().min(1).max(1_000_000),
  expect: z.enum(EXPECTS as [Expect, ...Expect[]]),
  noinput: z.enum(['1']).optional(),
});

export const callStatusParams = voiceCallParams.extend({
  CallStatus: z.string().max(32),
  SequenceNumber: z.coerce.number().int().min(0).optional(),
  Timestamp: z.string().max(64).optional(),
  CallDuration: z.coerce.number().int().min(0).optional(),
});

export type VoiceCallParams = z.infer<typeof voiceCallParams>;
export type VoiceInputParams = z.infer<typeof voiceInputParams>;
export type VoiceTurnQuery = z.infer<typeof voiceTurnQuery>;
export type CallStatusParams = z.infer<typeof callStatusParams>;

/** Progress callbacks of <Pay> (which field, which error, which attempt); card values arrive masked. */
export const payStatusParams = voiceCallParams.extend({
  For: z.string().max(64).optional(),
  ErrorType: z.string().max(64).optional(),
  Attempt: z.coerce.number().int().min(0).max(10).optional(),
  Sid: z.string().max(64).optional(),
});
export type PayStatusParams = z.infer<typeof payStatusParams>;
