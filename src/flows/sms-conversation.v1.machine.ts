import { smsThreadMachine, type SmsThreadContext } from './sms-thread.setup.js';

/**
 * Version 1 of the SMS thread, frozen: threads that started on it go on with it (machines.ts).
 * It kept opt-out state in the thread, so a number opted out elsewhere still got replies; fixes go
 * into sms-conversation.machine.ts. Remove this file once no session runs on version 1.
 */
export const smsConversationMachineV1 = smsThreadMachine<SmsThreadContext & { optedOut: boolean }>(
  { optedOut: false },
  (context, event) =>
    event.keyword === 'opt-out' ? { optedOut: true, reply: 'optOut' }
      : event.keyword === 'opt-in' ? { optedOut: false, reply: 'optIn' }
        : event.keyword === 'help' ? { reply: 'help' }
          : { reply: context.optedOut ? null : 'received' },
);
