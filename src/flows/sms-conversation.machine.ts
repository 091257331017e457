import { assign, setup } from 'xstate';
import type { Locale } from './inbound-call.machine.js';

/**
 * A two-way SMS thread (one per customer number and our number), as a pure
 * statechart on the same session store, outbox and evidence as calls. This
 * first version answers carrier keywords; conversations build on it.
 */
export type SmsConversationInput = { phone: string; ourNumber: string; locale: Locale; policyholderId: string | null };

export type SmsConversationEvent = {
  type: 'INBOUND';
  messageSid: string;
  keyword: 'opt-out' | 'opt-in' | 'help' | null;
};

export type SmsConversationContext = SmsConversationInput & {
  optedOut: boolean;
  /** What the last inbound message asked for; the renderer answers it. */
  reply: 'optOut' | 'optIn' | 'help' | 'received' | null;
  messages: number;
};

export const smsConversationMachine = setup({
  types: {} as { context: SmsConversationContext; events: SmsConversationEvent; input: SmsConversationInput },
}).createMachine({
  id: 'sms-conversation',
  context: ({ input }) => ({ ...input, optedOut: false, reply: null, messages: 0 }),
  initial: 'open',
  states: {
    open: {
      on: {
        INBOUND: {
          actions: assign(({ context, event }) => {
            const base = { messages: context.messages + 1 };
            switch (event.keyword) {
              case 'opt-out':
                return { ...base, optedOut: true, reply: 'optOut' as const };
              case 'opt-in':
                return { ...base, optedOut: false, reply: 'optIn' as const };
              case 'help':
                return { ...base, reply: 'help' as const };
              default:
                // why: an opted-out number gets no reply at all (one confirmation only, at opt-out).
                return { ...base, reply: context.optedOut ? null : ('received' as const) };
            }
          }),
        },
      },
    },
  },
});

export type SmsConversationSnapshot = ReturnType<typeof smsConversationMachine.getInitialSnapshot>;
