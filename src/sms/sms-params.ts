import { z } from 'zod';
import { maskCardNumbers } from '../shared/redact.js';

const sid = (prefixes: string) => z.string().regex(new RegExp(`^(${prefixes})[0-9a-fA-F]{32}$`), 'must be a Twilio sid');

/**
 * An incoming message as Twilio posts it; anything else is a 400. The body
 * comes out with any card number masked (`[pan:1111]`), so a customer who
 * texts one never has it stored or logged.
 */
export const inboundSmsParams = z
  .object({
    MessageSid: sid('SM|MM'),
    AccountSid: sid('AC'),
    From: z.string().min(1).max(64),
    To: z.string().min(1).max(64),
    Body: z.string().max(10_000).default('').transform(maskCardNumbers),
    NumMedia: z.coerce.number().int().min(0).max(10).optional(),
  })
  .loose();

export const smsStatusParams = z
  .object({
    MessageSid: sid('SM|MM'),
    AccountSid: sid('AC'),
    MessageStatus: z.string().max(32),
    ErrorCode: z.string().max(16).optional(),
    To: z.string().max(64).optional(),
    From: z.string().max(64).optional(),
  })
  .loose();

/** The status callback's query: the outbox id of the job that sent the text (our StatusCallback URL carries it). */
export const smsStatusQuery = z.object({ o: z.uuid().optional() }).loose();

export type InboundSmsParams = z.infer<typeof inboundSmsParams>;
export type SmsStatusParams = z.infer<typeof smsStatusParams>;
