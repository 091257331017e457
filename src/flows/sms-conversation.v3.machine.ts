import { decideSmsTurn } from './sms-conversation.decide.js';
import { buildSmsConversationMachine } from './sms-conversation.setup.js';

/**
 * Version 3 of the SMS conversation, frozen: threads that started on it go on with it (machines.ts).
 * Carrier keywords, balance, payment by text (a quote, then YES), a pay link, a cancellation request
 * (recorded, with the offer of a call) and a person on request. Version 4 (sms-conversation.machine.ts)
 * talks the cancellation through. Remove this file once no session runs on version 3.
 */
export const smsConversationMachineV3 = buildSmsConversationMachine(decideSmsTurn, { retention: false });
