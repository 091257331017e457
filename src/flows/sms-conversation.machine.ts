import { smsThreadMachine, type SmsThreadContext, type SmsThreadEvent } from './sms-thread.setup.js';

export type { SmsConversationInput } from './sms-thread.setup.js';

/**
 * A two-way SMS thread (one per customer number and our number), as a pure statechart on the same
 * session store, outbox and evidence as calls. It answers carrier keywords; conversations build on it.
 * Whether the number may get a reply comes with each message from the consent registry (the one
 * truth, across our numbers and flows), never from the thread's own memory. Version 2 (machines.ts).
 */

export type SmsConversationEvent = SmsThreadEvent;
export type SmsConsent = SmsThreadEvent['consent'];

export type SmsConversationContext = SmsThreadContext & {
  /** This thread confirmed an opt-out and no opt-in came since: a repeated STOP gets no second confirmation. */
  optOutConfirmed: boolean;
};

export const smsConversationMachine = smsThreadMachine<SmsConversationContext>(
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

export type SmsConversationSnapshot = ReturnType<typeof smsConversationMachine.getInitialSnapshot>;
