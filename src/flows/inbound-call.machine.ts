import { assign, setup } from 'xstate';
import type {
  CallerMatch,
  InboundCallContext,
  InboundCallEvent,
  InboundCallInput,
  Locale,
  MenuChoice,
} from './inbound-call.types.js';

export type * from './inbound-call.types.js';

/**
 * The inbound voice call, as a pure statechart: identification (caller ID,
 * else policy number plus one verification factor, limited attempts), the
 * self-service menu, paying the premium (card on file or a new card captured
 * by Twilio <Pay>), and routes to a person that follow business hours.
 * Webhook handlers turn what Twilio posts into events (doing any lookups
 * first); the TwiML renderer turns each state into what the caller hears.
 */

/** Tries per step before we offer a person: DOMAIN.md, "limited attempts". */
export const MAX_ATTEMPTS = 3;
/** Status polls (about 2.5 s each) before we stop holding the caller for a charge. */
export const MAX_PAYMENT_WAITS = 8;
/** New cards a caller may try in one call. */
export const MAX_CARD_TRIES = 2;

/** Guard: the caller chose one of these (named, so the generated diagram says which). */
const isChoice = (...choices: MenuChoice[]) =>
  Object.defineProperty(
    ({ event }: { event: InboundCallEvent }) => event.type === 'MENU' && choices.includes(event.choice),
    'name',
    { value: choices.join('|') },
  );

/** After a failed try: the same prompt again with a notice, or a person once tries run out. */
const retryOr = (state: string) =>
  [
    { guard: 'outOfAttempts', target: 'offerPerson', actions: 'reasonTrouble' },
    { target: state, reenter: true, actions: 'retry' },
  ] as const;

const firstPolicy = (m: CallerMatch | null) => (m && m.policies.length === 1 ? m.policies[0]! : null);

export const inboundCallMachine = setup({
  types: {} as { context: InboundCallContext; events: InboundCallEvent; input: InboundCallInput },
  guards: {
    identified: ({ context }) => context.identified !== null,
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
      policy: ({ context }) => firstPolicy(context.candidate),
      locale: ({ context }) => context.candidate?.locale ?? context.locale,
      candidate: null,
      greet: true,
      attempts: 0,
      notice: null,
    }),
    choosePolicy: assign({
      policy: ({ context, event }) =>
        event.type === 'POLICY_CHOICE' && event.index !== null ? (context.identified?.policies[event.index] ?? null) : null,
      attempts: 0,
      notice: null,
    }),
    toggleLanguage: assign({ locale: ({ context }) => (context.locale === 'en-US' ? 'es-US' : 'en-US') as Locale }),
    noGreeting: assign({ greet: false }),
    keepDue: assign({ due: ({ event }) => (event.type === 'MENU' ? (event.due ?? null) : null), attempts: 0, notice: null }),
    noDue: assign({ notice: 'no-due' as const, due: null, attempts: 0 }),
    keepHours: assign({ open: ({ event }) => (event.type === 'MENU' ? event.open === true : false) }),
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
    endedBy: assign({ endReason: ({ event }) => (event.type === 'CALL_ENDED' ? event.status : 'ended') }),
    'outbox:payments.charge-due': (_, _p: { dueId: string; paymentMethodId: string; channel: 'ivr'; callSid: string }) => undefined,
    'outbox:callbacks.book': (
      _,
      _p: { phone: string; policyholderId: string | null; policyId: string | null; reason: string; locale: Locale; callSid: string },
    ) => undefined,
    'outbox:retention.cancel-request': (_, _p: { policyId: string | null; policyholderId: string | null; callSid: string }) =>
      undefined,
  },
}).createMachine({
  id: 'inbound-call',
  context: ({ input }) => ({
    callSid: input.callSid,
    from: input.from,
    to: input.to,
    locale: input.caller?.locale ?? input.defaultLocale,
    identified: input.caller,
    byCallerId: input.caller !== null,
    candidate: null,
    policy: firstPolicy(input.caller),
    attempts: 0,
    notice: null,
    greet: true,
    due: null,
    paying: null,
    paymentWaits: 0,
    cardTries: 0,
    confirmation: null,
    declineReason: null,
    open: false,
    personReason: null,
    endReason: null,
  }),
  initial: 'start',
  on: {
    CALL_ENDED: { target: '.ended', actions: 'endedBy' },
  },
  states: {
    start: {
      always: [
        { guard: 'severalPolicies', target: 'choosePolicy' },
        { guard: 'identified', target: 'mainMenu' },
        { target: 'askPolicyNumber' },
      ],
    },
    askPolicyNumber: {
      tags: ['identifying'],
      on: {
        POLICY_LOOKUP: [{ guard: 'policyFound', target: 'askVerification', actions: 'keepCandidate' }, ...retryOr('askPolicyNumber')],
        NO_INPUT: retryOr('askPolicyNumber'),
        MENU: [
          { guard: isChoice('language'), actions: 'toggleLanguage', target: 'askPolicyNumber', reenter: true },
          { guard: isChoice('person'), target: 'routeToPerson', actions: ['keepHours', 'reasonAsked'] },
          ...retryOr('askPolicyNumber'),
        ],
      },
    },
    askVerification: {
      tags: ['identifying', 'secret-input'],
      on: {
        VERIFICATION: [
          { guard: 'verified', target: 'identifiedCaller', actions: 'acceptCandidate' },
          ...retryOr('askVerification'),
        ],
        NO_INPUT: retryOr('askVerification'),
      },
    },
    identifiedCaller: {
      always: [{ guard: 'severalPolicies', target: 'choosePolicy' }, { target: 'mainMenu' }],
    },
    choosePolicy: {
      on: {
        POLICY_CHOICE: [{ guard: 'validPolicyChoice', target: 'mainMenu', actions: 'choosePolicy' }, ...retryOr('choosePolicy')],
        NO_INPUT: retryOr('choosePolicy'),
        MENU: [{ guard: isChoice('person'), target: 'routeToPerson', actions: ['keepHours', 'reasonAsked'] }, ...retryOr('choosePolicy')],
      },
    },
    mainMenu: {
      exit: 'noGreeting',
      on: {
        MENU: [
          { guard: isChoice('person'), target: 'routeToPerson', actions: ['keepHours', 'reasonAsked'] },
          { guard: isChoice('cancel'), target: 'cancelRequested', actions: ['keepHours', 'reasonCancel'] },
          { guard: isChoice('pay'), target: 'chooseCard', actions: 'keepDue' },
          { guard: isChoice('due'), target: 'amountDue', actions: 'keepDue' },
          { guard: isChoice('repeat'), target: 'mainMenu', reenter: true, actions: 'resetAttempts' },
          { guard: isChoice('language'), target: 'mainMenu', reenter: true, actions: ['toggleLanguage', 'resetAttempts'] },
          ...retryOr('mainMenu'),
        ],
        NO_INPUT: retryOr('mainMenu'),
      },
    },
    amountDue: {
      always: { guard: ({ context }) => context.due === null, target: 'mainMenu', actions: 'noDue' },
      on: {
        MENU: [
          { guard: isChoice('pay', 'card-on-file'), target: 'chooseCard', actions: 'resetAttempts' },
          { guard: isChoice('person'), target: 'routeToPerson', actions: ['keepHours', 'reasonAsked'] },
          { guard: isChoice('back', 'repeat'), target: 'mainMenu', actions: 'resetAttempts' },
          ...retryOr('amountDue'),
        ],
        NO_INPUT: { target: 'mainMenu', actions: 'resetAttempts' },
      },
    },
    chooseCard: {
      always: [
        { guard: ({ context }) => context.due === null, target: 'mainMenu', actions: 'noDue' },
        { guard: ({ context }) => !context.due?.cardOnFile, target: 'captureCard' },
      ],
      on: {
        MENU: [
          { guard: isChoice('card-on-file', 'pay'), target: 'paymentProcessing', actions: 'payWithCardOnFile' },
          { guard: isChoice('new-card'), target: 'captureCard' },
          { guard: isChoice('back'), target: 'mainMenu', actions: 'resetAttempts' },
          { guard: isChoice('person'), target: 'routeToPerson', actions: ['keepHours', 'reasonAsked'] },
          ...retryOr('chooseCard'),
        ],
        NO_INPUT: retryOr('chooseCard'),
      },
    },
    captureCard: {
      tags: ['card-capture'],
      on: {
        PAY_RESULT: [
          { guard: 'cardCaptured', target: 'paymentProcessing', actions: 'payWithNewCard' },
          { guard: 'callerLeftPay', target: 'ended' },
          { guard: 'cardTriesLeft', target: 'cardNotCaptured', actions: 'cardNotCaptured' },
          { target: 'offerPerson', actions: 'reasonTrouble' },
        ],
      },
    },
    cardNotCaptured: {
      on: {
        MENU: [
          { guard: isChoice('new-card', 'yes', 'pay'), target: 'captureCard' },
          { guard: isChoice('person'), target: 'routeToPerson', actions: ['keepHours', 'reasonAsked'] },
          { target: 'mainMenu', actions: 'resetAttempts' },
        ],
        NO_INPUT: { target: 'mainMenu', actions: 'resetAttempts' },
      },
    },
    paymentProcessing: {
      tags: ['payment'],
      entry: {
        type: 'outbox:payments.charge-due',
        params: ({ context }) => ({
          dueId: context.due!.dueId,
          paymentMethodId: context.paying!.paymentMethodId,
          channel: 'ivr' as const,
          callSid: context.callSid,
        }),
      },
      on: {
        PAYMENT_STATUS: [
          { guard: 'paid', target: 'paymentConfirmed', actions: 'keepConfirmation' },
          { guard: 'declined', target: 'paymentDeclined', actions: 'keepDecline' },
          { guard: 'waitedTooLong', target: 'mainMenu', actions: ['pendingTooLong'] },
          { target: 'paymentWaiting', actions: 'waitMore' },
        ],
      },
    },
    // why: a separate state so waiting re-renders the hold without queueing the charge again.
    paymentWaiting: {
      tags: ['payment'],
      on: {
        PAYMENT_STATUS: [
          { guard: 'paid', target: 'paymentConfirmed', actions: 'keepConfirmation' },
          { guard: 'declined', target: 'paymentDeclined', actions: 'keepDecline' },
          { guard: 'waitedTooLong', target: 'mainMenu', actions: ['pendingTooLong'] },
          { target: 'paymentWaiting', reenter: true, actions: 'waitMore' },
        ],
      },
    },
    paymentConfirmed: {
      on: {
        MENU: [
          { guard: isChoice('repeat', 'yes'), target: 'paymentConfirmed', reenter: true },
          { target: 'goodbye' },
        ],
        NO_INPUT: 'goodbye',
      },
    },
    paymentDeclined: {
      on: {
        MENU: [
          { guard: isChoice('new-card', 'pay'), target: 'captureCard' },
          { guard: isChoice('person'), target: 'routeToPerson', actions: ['keepHours', 'reasonAsked'] },
          { target: 'mainMenu', actions: 'resetAttempts' },
        ],
        NO_INPUT: { target: 'mainMenu', actions: 'resetAttempts' },
      },
    },
    cancelRequested: {
      entry: {
        type: 'outbox:retention.cancel-request',
        params: ({ context }) => ({
          policyId: context.policy?.policyId ?? null,
          policyholderId: context.identified?.policyholderId ?? null,
          callSid: context.callSid,
        }),
      },
      always: 'routeToPerson',
    },
    routeToPerson: {
      always: [{ guard: 'openNow', target: 'transferToPerson' }, { target: 'offerCallback' }],
    },
    offerCallback: {
      on: {
        MENU: [
          { guard: isChoice('yes', 'pay'), target: 'callbackBooked' },
          { target: 'mainMenu', actions: 'resetAttempts' },
        ],
        NO_INPUT: 'goodbye',
      },
    },
    callbackBooked: {
      entry: {
        type: 'outbox:callbacks.book',
        params: ({ context }) => ({
          phone: context.from,
          policyholderId: context.identified?.policyholderId ?? null,
          policyId: context.policy?.policyId ?? null,
          reason: context.personReason ?? 'asked',
          locale: context.locale,
          callSid: context.callSid,
        }),
      },
      on: { MENU: { target: 'mainMenu', actions: 'resetAttempts' }, NO_INPUT: 'goodbye' },
    },
    offerPerson: {
      on: {
        MENU: [
          { guard: isChoice('person'), target: 'routeToPerson', actions: ['keepHours', 'reasonTrouble'] },
          { target: 'goodbye' },
        ],
        NO_INPUT: 'goodbye',
      },
    },
    transferToPerson: {
      on: {
        QUEUE_LEFT: { target: 'goodbye', actions: assign({ endReason: 'queue' }) },
      },
    },
    goodbye: { type: 'final' },
    ended: { type: 'final' },
  },
});

export type InboundCallSnapshot = ReturnType<typeof inboundCallMachine.getInitialSnapshot>;
