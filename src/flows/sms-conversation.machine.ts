import { buildSmsConversationMachine } from './sms-conversation.setup.js';
import { decideSmsConversationTurn } from './sms-retention.decide.js';
import type { SmsConversationEvent } from './sms-conversation.types.js';

export type { SmsConversationContext, SmsConversationEvent } from './sms-conversation.types.js';
export type SmsConsent = SmsConversationEvent['consent'];

/**
 * A two-way SMS conversation (one per customer number and our number), version 4: carrier keywords,
 * balance, payment by text (a quote, then YES), a pay link, a person on request, and a cancellation
 * talked through as the retention call does it (reason, offers, cancel now at any step), in the
 * customer's language. Pure: the webhook looks up what a message needs (the account, the offers for a
 * reason, today) and puts the facts in the event; decideSmsConversationTurn holds the rules; side
 * effects leave as `outbox:` jobs. Whether the number may get a reply comes with each message from the
 * consent registry, never from memory.
 */
export const smsConversationMachine = buildSmsConversationMachine(decideSmsConversationTurn, { retention: true });

export type SmsConversationSnapshot = ReturnType<typeof smsConversationMachine.getInitialSnapshot>;
