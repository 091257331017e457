import { smsThreadMachine, type SmsThreadContext } from './sms-thread.setup.js';

/**
 * Version 2 of the SMS thread, frozen: threads that started on it go on with it (machines.ts). It
 * answered carrier keywords only, reading consent from the registry; conversations (balance,
 * payment, cancellation) are version 3, sms-conversation.machine.ts. Remove this file once no
 * session runs on version 2.
 */
type SmsConversationV2Context = SmsThreadContext & {
  /** This thread confirmed an opt-out and no opt-in came since: a repeated STOP gets no second confirmation. */
  optOutConfirmed: boolean;
};

export const smsConversationMachineV2 = smsThreadMachine<SmsConversationV2Context>(
  { optOutConfirmed: false },
  (context, event) => {
    switch (event.keyword) {
      case 'opt-out':
        // why: one confirmation per opt-out (CTIA); a second STOP on this thread is answered by silence.
        return { optOutConfirmed: true, reply: context.optOutConfirmed ? null : 'optOut' };
      case 'opt-in':
        return { optOutConfirmed: false, reply: 'optIn' };
      case 'help':
        // why: HELP always answers, even an opted-out number (carrier rules).
        return { reply: 'help' };
      default:
        return { reply: event.consent === 'opted-out' ? null : 'received' };
    }
  },
);
