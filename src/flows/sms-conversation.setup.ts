import { setup } from 'xstate';
import type { JobPayloadIn } from '../jobs/job-definition.js';
import type { applyOfferJob } from '../jobs/contracts/apply-offer.job.js';
import type { bookCallbackJob } from '../jobs/contracts/book-callback.job.js';
import type { cancelPolicyJob } from '../jobs/contracts/cancel-policy.job.js';
import type { cancelRequestJob } from '../jobs/contracts/cancel-request.job.js';
import type { chargeQuoteJob } from '../jobs/contracts/charge-quote.job.js';
import type { flagComplaintJob } from '../jobs/contracts/flag-complaint.job.js';
import type { sendPayLinkJob } from '../jobs/contracts/send-pay-link.job.js';
import type { SmsTurnOutcome } from './sms-conversation.decide.js';
import type { SmsConversationContext, SmsConversationEvent, SmsRetention } from './sms-conversation.types.js';
import type { SmsConversationInput } from './sms-thread.setup.js';

/** A version's rules: what one inbound text does to the thread (version 4 also carries a cancellation under way). */
export type SmsTurnRules = (c: SmsConversationContext, e: SmsConversationEvent) => SmsTurnOutcome & { retention?: SmsRetention | null };

const conversation = setup({
  types: {} as { context: SmsConversationContext; events: SmsConversationEvent; input: SmsConversationInput },
  actions: {
    // Jobs: params typed by their job definitions; the outbox writer checks them against the same ones.
    'outbox:sms.charge-quote': (_, _p: JobPayloadIn<typeof chargeQuoteJob>) => undefined,
    'outbox:sms.send-pay-link': (_, _p: JobPayloadIn<typeof sendPayLinkJob>) => undefined,
    'outbox:retention.cancel-request': (_, _p: JobPayloadIn<typeof cancelRequestJob>) => undefined,
    'outbox:callbacks.book': (_, _p: JobPayloadIn<typeof bookCallbackJob>) => undefined,
    'outbox:retention.apply-offer': (_, _p: JobPayloadIn<typeof applyOfferJob>) => undefined,
    'outbox:retention.cancel-policy': (_, _p: JobPayloadIn<typeof cancelPolicyJob>) => undefined,
    'outbox:retention.flag-complaint': (_, _p: JobPayloadIn<typeof flagComplaintJob>) => undefined,
  },
});

/**
 * The conversation's statechart for a version's rules: each message is answered by `rules` (pure), its
 * outcome folded into the context and its jobs into the outbox; the state says what waits for an
 * answer: a payment quote (YES), or, with `retention`, a cancellation being talked through.
 */
export const buildSmsConversationMachine = (rules: SmsTurnRules, o: { retention: boolean }) => {
  const answer = () =>
    conversation.enqueueActions(({ context, event, enqueue }) => {
      const out = rules(context, event);
      enqueue.assign({
        messages: context.messages + 1, reply: out.reply, replyData: out.replyData, quote: out.quote, notUnderstood: out.notUnderstood,
        locale: out.locale, optOutConfirmed: out.optOutConfirmed, ...(o.retention ? { retention: out.retention ?? null } : {}),
      });
      for (const job of out.jobs) {
        switch (job.topic) {
          case 'sms.charge-quote': enqueue({ type: 'outbox:sms.charge-quote', params: job.payload }); break;
          case 'sms.send-pay-link': enqueue({ type: 'outbox:sms.send-pay-link', params: job.payload }); break;
          case 'retention.cancel-request': enqueue({ type: 'outbox:retention.cancel-request', params: job.payload }); break;
          case 'callbacks.book': enqueue({ type: 'outbox:callbacks.book', params: job.payload }); break;
          case 'retention.apply-offer': enqueue({ type: 'outbox:retention.apply-offer', params: job.payload }); break;
          case 'retention.cancel-policy': enqueue({ type: 'outbox:retention.cancel-policy', params: job.payload }); break;
          case 'retention.flag-complaint': enqueue({ type: 'outbox:retention.flag-complaint', params: job.payload }); break;
        }
      }
    });
  const leavesQuote = ({ context, event }: { context: SmsConversationContext; event: SmsConversationEvent }) => rules(context, event).quote !== null;
  const leavesRetention = ({ context, event }: { context: SmsConversationContext; event: SmsConversationEvent }) => (rules(context, event).retention ?? null) !== null;
  const inbound = [
    { guard: leavesQuote, target: 'awaitingConfirmation', actions: answer() },
    ...(o.retention ? [{ guard: leavesRetention, target: 'talkingCancellation', actions: answer() }] : []),
    { target: 'open', actions: answer() },
  ];
  return conversation.createMachine({
    id: 'sms-conversation',
    context: ({ input }) => ({
      ...input, localeFromRecord: input.localeFromRecord ?? false, messages: 0, reply: null, replyData: null,
      optOutConfirmed: false, quote: null, notUnderstood: 0, ...(o.retention ? { retention: null } : {}),
    }),
    initial: 'open',
    states: {
      open: { on: { INBOUND: inbound } },
      /** A payment quote waits for YES (until it expires: a later YES gets a fresh quote). */
      awaitingConfirmation: { on: { INBOUND: inbound } },
      // why: version 3 never enters it (its rules carry no cancellation); its diagram shows it unreachable.
      ...(o.retention ? {
        /** A cancellation is being talked through: a reason, an offer or the question whether to cancel waits (a day at most). */
        talkingCancellation: { on: { INBOUND: inbound } },
      } : {}),
    },
  });
};
