import { assign, setup } from 'xstate';
import type { JobPayloadIn } from '../jobs/job-definition.js';
import type { chargeDueJob } from '../jobs/contracts/charge-due.job.js';
import type { bookCallbackJob } from '../jobs/contracts/book-callback.job.js';
import type { cancelRequestJob } from '../jobs/contracts/cancel-request.job.js';
import type {
  CallerMatch,
  InboundCallContext,
  InboundCallEvent,
  InboundCallInput,
  Locale,
  MenuChoice,
  TransferOutcome,
} from './inbound-call.types.js';
import type { startTransferJob } from '../jobs/contracts/start-transfer.job.js';

/**
 * What every version of the inbound-call machine shares: limits, guards and
 * actions, named so the generated diagrams say which. Versions only add here;
 * changing what an existing guard or action does changes live calls too.
 */

/** Tries per step before we offer a person: DOMAIN.md, "limited attempts". */
export const MAX_ATTEMPTS = 3;
/** Status polls (about 2.5 s each) before we stop holding the caller for a charge. */
export const MAX_PAYMENT_WAITS = 8;
/** New cards a caller may try in one call. */
export const MAX_CARD_TRIES = 2;

/** Guard: the caller chose one of these (named, so the generated diagram says which). */
export const isChoice = (...choices: MenuChoice[]) =>
  Object.defineProperty(
    ({ event }: { event: InboundCallEvent }) => event.type === 'MENU' && choices.includes(event.choice),
    'name',
    { value: choices.join('|') },
  );

/**
 * Guard: the caller left the specialists' queue this way (Twilio's QueueResult).
 * Named, like isChoice, so the diagram says which.
 */
export const queueResult = (...results: string[]) =>
  Object.defineProperty(
    ({ event }: { event: InboundCallEvent }) => event.type === 'QUEUE_LEFT' && results.includes(event.result),
    'name',
    { value: results.join('|') },
  );

/** Guard: the caller's wait for a specialist ended with the transfer standing so. */
export const transferStood = (...outcomes: TransferOutcome[]) =>
  Object.defineProperty(
    ({ event }: { event: InboundCallEvent }) => event.type === 'TRANSFER_ENDED' && outcomes.includes(event.outcome),
    'name',
    { value: outcomes.join('|') },
  );

/** After a failed try: the same prompt again with a notice, or a person once tries run out. */
export const retryOr = (state: string) =>
  [
    { guard: 'outOfAttempts', target: 'offerPerson', actions: 'reasonTrouble' },
    { target: state, reenter: true, actions: 'retry' },
  ] as const;

export const firstPolicy = (m: CallerMatch | null) => (m && m.policies.length === 1 ? m.policies[0]! : null);

export const inboundCallSetup = setup({
  types: {} as { context: InboundCallContext; events: InboundCallEvent; input: InboundCallInput },
  guards: {
    identified: ({ context }) => context.identified !== null,
    unidentified: ({ context }) => context.identified === null,
    cancelsCancelledPolicy: ({ context, event }) =>
      event.type === 'MENU' && event.choice === 'cancel' && context.policy?.status === 'cancelled',
    cancelsChosenPolicy: ({ context, event }) =>
      event.type === 'MENU' && event.choice === 'cancel' && context.policy !== null && context.policy.status !== 'cancelled',
    noPolicyChosen: ({ context }) => context.policy === null && (context.identified?.policies.length ?? 0) > 1,
    severalPolicies: ({ context }) => (context.identified?.policies.length ?? 0) > 1,
    outOfAttempts: ({ context }) => context.attempts + 1 >= MAX_ATTEMPTS,
    policyFound: ({ event }) => event.type === 'POLICY_LOOKUP' && event.match !== null,
    verified: ({ event }) => event.type === 'VERIFICATION' && event.passed,
    validPolicyChoice: ({ context, event }) =>
      event.type === 'POLICY_CHOICE' && event.index !== null && !!context.identified?.policies[event.index],
    openNow: ({ context }) => context.open,
    cardCaptured: ({ event }) => event.type === 'PAY_RESULT' && event.result === 'success' && !!event.paymentMethodId,
    callerLeftPay: ({ event }) => event.type === 'PAY_RESULT' && event.result === 'caller-hung-up',
    cardTriesLeft: ({ context }) => context.cardTries < MAX_CARD_TRIES,
    paid: ({ event }) => event.type === 'PAYMENT_STATUS' && event.status === 'succeeded',
    declined: ({ event }) => event.type === 'PAYMENT_STATUS' && event.status === 'failed',
    waitedTooLong: ({ context }) => context.paymentWaits + 1 >= MAX_PAYMENT_WAITS,
  },
  actions: {
    retry: assign({
      attempts: ({ context }) => context.attempts + 1,
      notice: ({ event }) => {
        if (event.type === 'NO_INPUT') return 'no-input' as const;
        if (event.type === 'POLICY_LOOKUP') return 'not-found' as const;
        if (event.type === 'VERIFICATION') return 'verify-failed' as const;
        return 'invalid' as const;
      },
    }),
    resetAttempts: assign({ attempts: 0, notice: null }),
    keepCandidate: assign({
      candidate: ({ event }) => (event.type === 'POLICY_LOOKUP' ? event.match : null),
      attempts: 0,
      notice: null,
    }),
    acceptCandidate: assign({
      identified: ({ context }) => context.candidate,
      policy: ({ context }) =>
        context.candidate?.policies.find((p) => p.policyId === context.candidate?.policyGiven) ?? firstPolicy(context.candidate),
      locale: ({ context }) => context.candidate?.locale ?? context.locale,
      candidate: null,
      greet: true,
      attempts: 0,
      notice: null,
    }),
    choosePolicy: assign({
      policy: ({ context, event }) =>
        event.type === 'POLICY_CHOICE' && event.index !== null ? (context.identified?.policies[event.index] ?? null) : null,
      // The greeting went with the list of policies.
      greet: false,
      attempts: 0,
      notice: null,
    }),
    toggleLanguage: assign({ locale: ({ context }) => (context.locale === 'en-US' ? 'es-US' : 'en-US') as Locale }),
    noGreeting: assign({ greet: false }),
    keepDue: assign({ due: ({ event }) => (event.type === 'MENU' ? (event.due ?? null) : null), attempts: 0, notice: null }),
    alreadyCancelled: assign({ notice: 'already-cancelled' as const, attempts: 0 }),
    noDue: assign({ notice: 'no-due' as const, due: null, attempts: 0 }),
    keepHours: assign({ open: ({ event }) => (event.type === 'MENU' || event.type === 'NO_INPUT' ? event.open === true : false) }),
    payWithCardOnFile: assign({ paying: ({ context }) => context.due?.cardOnFile ?? null, paymentWaits: 0, declineReason: null }),
    payWithNewCard: assign({
      paying: ({ event }) =>
        event.type === 'PAY_RESULT' && event.paymentMethodId
          ? { paymentMethodId: event.paymentMethodId, brand: event.brand, last4: event.last4 }
          : null,
      cardTries: ({ context }) => context.cardTries + 1,
      paymentWaits: 0,
      declineReason: null,
    }),
    cardNotCaptured: assign({ cardTries: ({ context }) => context.cardTries + 1, notice: 'card-not-captured' as const }),
    waitMore: assign({ paymentWaits: ({ context }) => context.paymentWaits + 1 }),
    keepConfirmation: assign({
      confirmation: ({ event }) => (event.type === 'PAYMENT_STATUS' ? event.confirmation : null),
      notice: null,
    }),
    keepDecline: assign({ declineReason: ({ event }) => (event.type === 'PAYMENT_STATUS' ? event.reason : null), notice: null }),
    pendingTooLong: assign({ notice: 'payment-pending-long' as const }),
    reasonAsked: assign({ personReason: 'asked' as const }),
    reasonCancel: assign({ personReason: 'cancel' as const }),
    reasonTrouble: assign({ personReason: 'trouble' as const }),
    servedBySpecialist: assign({ endReason: 'specialist' }),
    queueFailed: assign({ endReason: 'queue' }),
    nobodyTookIt: assign({ notice: 'no-specialist' as const, attempts: 0 }),
    leftQueue: assign({ endReason: ({ event }) => (event.type === 'QUEUE_LEFT' ? `queue-${event.result}` : 'queue') }),
    endedBy: assign({ endReason: ({ event }) => (event.type === 'CALL_ENDED' ? event.status : 'ended') }),
    // Jobs: params typed by their job definitions; the outbox writer checks them against the same ones.
    'outbox:payments.charge-due': (_, _p: JobPayloadIn<typeof chargeDueJob>) => undefined,
    'outbox:callbacks.book': (_, _p: JobPayloadIn<typeof bookCallbackJob>) => undefined,
    'outbox:transfer.start': (_, _p: JobPayloadIn<typeof startTransferJob>) => undefined,
    'outbox:retention.cancel-request': (_, _p: JobPayloadIn<typeof cancelRequestJob>) => undefined,
  },
});

/** A whole machine definition on these guards and actions. */
export type InboundCallConfig = Parameters<typeof inboundCallSetup.createMachine>[0];
