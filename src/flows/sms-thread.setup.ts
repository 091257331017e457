import { assign, setup } from 'xstate';
import type { Locale } from './inbound-call.machine.js';

/** Who a thread is with: one per customer number and our number. */
export type SmsConversationInput = {
  phone: string;
  ourNumber: string;
  locale: Locale;
  policyholderId: string | null;
  /** The locale is the holder's stored one (version 3 keeps it; otherwise the customer's language wins). */
  localeFromRecord?: boolean;
};

/** What every version of the thread keeps: the reply its renderer sends and how many messages came. */
export type SmsThreadContext = SmsConversationInput & { reply: 'optOut' | 'optIn' | 'help' | 'received' | null; messages: number };

/** An inbound text, as every version receives it (version 1 ignores `consent`). */
export type SmsThreadEvent = {
  type: 'INBOUND';
  messageSid: string;
  keyword: 'opt-out' | 'opt-in' | 'help' | null;
  /** The number's SMS consent in the registry once this message's keyword was applied. */
  consent: 'granted' | 'opted-out' | 'none';
};

/**
 * The SMS thread's statechart for one version: one state, each inbound message folded into the
 * context by that version's `next` (pure). Versions differ only in what they keep and how they answer.
 */
export const smsThreadMachine = <C extends SmsThreadContext>(
  initial: Omit<C, keyof SmsThreadContext>,
  next: (context: C, event: SmsThreadEvent) => Partial<C>,
) =>
  setup({ types: {} as { context: C; events: SmsThreadEvent; input: SmsConversationInput } }).createMachine({
    id: 'sms-conversation',
    context: ({ input }) => ({ ...input, reply: null, messages: 0, ...initial }) as C,
    initial: 'open',
    states: {
      open: {
        on: {
          INBOUND: {
            actions: assign(({ context, event }) => ({ ...next(context, event), messages: context.messages + 1 }) as Partial<C>),
          },
        },
      },
    },
  });
