import { setup } from 'xstate';
import type { JobPayloadIn } from '../jobs/job-definition.js';
import type { bookCallbackJob } from '../jobs/contracts/book-callback.job.js';
import type { cancelRequestJob } from '../jobs/contracts/cancel-request.job.js';
import type { chargeQuoteJob } from '../jobs/contracts/charge-quote.job.js';
import type { sendPayLinkJob } from '../jobs/contracts/send-pay-link.job.js';
import { decideSmsTurn } from './sms-conversation.decide.js';
import type { SmsConversationContext, SmsConversationEvent } from './sms-conversation.types.js';
import type { SmsConversationInput } from './sms-thread.setup.js';

export type { SmsConversationContext, SmsConversationEvent } from './sms-conversation.types.js';
export type SmsConsent = SmsConversationEvent['consent'];

/**
 * A two-way SMS conversation (one per customer number and our number), version 3: carrier keywords,
 * balance, payment by text (a quote, then YES), a pay link, cancellation requests and a person on
 * request, in the customer's language. Pure: the webhook looks up what a message needs and puts the
 * facts in the event; decideSmsTurn holds the rules; side effects leave as `outbox:` jobs. Whether
 * the number may get a reply comes with each message from the consent registry, never from memory.
 */
const conversation = setup({
  types: {} as { context: SmsConversationContext; events: SmsConversationEvent; input: SmsConversationInput },
  actions: {
    // Jobs: params typed by their job definitions; the outbox writer checks them against the same ones.
    'outbox:sms.charge-quote': (_, _p: JobPayloadIn<typeof chargeQuoteJob>) => undefined,
    'outbox:sms.send-pay-link': (_, _p: JobPayloadIn<typeof sendPayLinkJob>) => undefined,
    'outbox:retention.cancel-request': (_, _p: JobPayloadIn<typeof cancelRequestJob>) => undefined,
    'outbox:callbacks.book': (_, _p: JobPayloadIn<typeof bookCallbackJob>) => undefined,
  },
  guards: {
    /** The message leaves a payment quote waiting for YES. */
    leavesQuote: ({ context, event }) => decideSmsTurn(context, event).quote !== null,
  },
});

/** The one action of every message: the rules' outcome into the context, and its jobs into the outbox. */
const answer = () =>
  conversation.enqueueActions(({ context, event, enqueue }) => {
    const o = decideSmsTurn(context, event);
    enqueue.assign({
      messages: context.messages + 1, reply: o.reply, replyData: o.replyData, quote: o.quote, notUnderstood: o.notUnderstood,
      locale: o.locale, optOutConfirmed: o.optOutConfirmed,
    });
    for (const job of o.jobs) {
      switch (job.topic) {
        case 'sms.charge-quote': enqueue({ type: 'outbox:sms.charge-quote', params: job.payload }); break;
        case 'sms.send-pay-link': enqueue({ type: 'outbox:sms.send-pay-link', params: job.payload }); break;
        case 'retention.cancel-request': enqueue({ type: 'outbox:retention.cancel-request', params: job.payload }); break;
        case 'callbacks.book': enqueue({ type: 'outbox:callbacks.book', params: job.payload }); break;
      }
    }
  });

export const smsConversationMachine = conversation.createMachine({
  id: 'sms-conversation',
  context: ({ input }) => ({
    ...input, localeFromRecord: input.localeFromRecord ?? false, messages: 0, reply: null, replyData: null,
    optOutConfirmed: false, quote: null, notUnderstood: 0,
  }),
  initial: 'open',
  states: {
    open: {
      on: { INBOUND: [{ guard: 'leavesQuote', target: 'awaitingConfirmation', actions: answer() }, { target: 'open', actions: answer() }] },
    },
    /** A payment quote waits for YES (until it expires: a later YES gets a fresh quote). */
    awaitingConfirmation: {
      on: { INBOUND: [{ guard: 'leavesQuote', target: 'awaitingConfirmation', actions: answer() }, { target: 'open', actions: answer() }] },
    },
  },
});

export type SmsConversationSnapshot = ReturnType<typeof smsConversationMachine.getInitialSnapshot>;
