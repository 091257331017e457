import { assign } from 'xstate';
import { firstPolicy, inboundCallSetup, isChoice, retryOr, type InboundCallConfig } from './inbound-call.setup.js';

/**
 * Version 1 of the inbound call, frozen: calls that started on it finish on
 * it (machines.ts). Fixes go into a new version (inbound-call.machine.ts),
 * never here; remove this file once no session runs on version 1.
 */
export const inboundCallV1 = {
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
} as const satisfies InboundCallConfig;

export const inboundCallMachineV1 = inboundCallSetup.createMachine(inboundCallV1);
