import { inboundCallSetup, isChoice, queueResult, retryOr, type InboundCallConfig } from './inbound-call.setup.js';
import { inboundCallV1 as v1 } from './inbound-call.v1.machine.js';

/**
 * The inbound voice call, as a pure statechart: identification (caller ID,
 * else policy number plus one verification factor, limited attempts), the
 * self-service menu, paying the premium (card on file or a new card captured
 * by Twilio <Pay>), and routes to a person that follow business hours.
 * Webhook handlers turn what Twilio posts into events (doing any lookups
 * first); the TwiML renderer turns each state into what the caller hears.
 *
 * Version 2, frozen (calls that started on it finish on it): version 1
 * (inbound-call.v1.machine.ts) with the states below replaced or added, so
 * this file reads as what changed. docs/machines.md draws each whole.
 */
export const inboundCallV2 = {
  ...v1,
  states: {
    ...v1.states,
    // Greeted once: coming back here (from the offer of a person) asks again without the welcome.
    askPolicyNumber: { ...v1.states.askPolicyNumber, exit: 'noGreeting' },
    choosePolicy: { ...v1.states.choosePolicy, exit: 'noGreeting' },
    // A cancelled policy cannot be cancelled again: say so instead of noting a request.
    mainMenu: {
      ...v1.states.mainMenu,
      on: {
        ...v1.states.mainMenu.on,
        MENU: [
          { guard: 'cancelsCancelledPolicy', target: 'mainMenu', reenter: true, actions: 'alreadyCancelled' },
          ...v1.states.mainMenu.on.MENU,
        ],
      },
    },
    paymentConfirmed: {
      on: {
        MENU: [
          { guard: isChoice('repeat', 'yes'), target: 'paymentConfirmed', reenter: true },
          { guard: isChoice('back'), target: 'mainMenu', actions: 'resetAttempts' },
          ...retryOr('paymentConfirmed'),
        ],
        NO_INPUT: 'goodbye',
      },
    },
    // The policy whose number the caller gave is the one the call is about: no need to choose again.
    identifiedCaller: {
      always: [{ guard: 'noPolicyChosen', target: 'choosePolicy' }, { target: 'mainMenu' }],
    },
    /** The way back to the menu from anywhere a caller may be before identification: it passes identification. */
    returnToMenu: {
      always: [
        { guard: 'unidentified', target: 'askPolicyNumber', actions: 'resetAttempts' },
        { guard: 'noPolicyChosen', target: 'choosePolicy', actions: 'resetAttempts' },
        { target: 'mainMenu', actions: 'resetAttempts' },
      ],
    },
    offerCallback: {
      on: {
        MENU: [{ guard: isChoice('yes', 'pay'), target: 'callbackBooked' }, { target: 'returnToMenu' }],
        NO_INPUT: 'goodbye',
      },
    },
    callbackBooked: { ...v1.states.callbackBooked, on: { MENU: 'returnToMenu', NO_INPUT: 'goodbye' } },
    // The offer says staying on the line, or any key, reaches a specialist (or the callback offer after hours).
    offerPerson: {
      on: {
        MENU: { target: 'routeToPerson', actions: ['keepHours', 'reasonTrouble'] },
        NO_INPUT: { target: 'routeToPerson', actions: ['keepHours', 'reasonTrouble'] },
      },
    },
    /**
     * Twilio asks the <Enqueue> action when the caller leaves the queue: after the
     * specialist hung up (bridged), when the caller hung up or is being connected
     * (hangup, bridging-in-process; nobody hears the answer), when moved elsewhere
     * through the REST API (redirected), by a <Leave> in the hold music (leave),
     * or on a failure (queue-full, error, system-error and any value we do not know).
     * Only a failure is apologised for.
     */
    transferToPerson: {
      on: {
        QUEUE_LEFT: [
          { guard: queueResult('bridged'), target: 'goodbye', actions: 'servedBySpecialist' },
          { guard: queueResult('hangup', 'bridging-in-process', 'redirected'), target: 'ended', actions: 'leftQueue' },
          { guard: queueResult('leave'), target: 'returnToMenu', actions: 'leftQueue' },
          { target: 'goodbye', actions: 'queueFailed' },
        ],
      },
    },
  },
} as const satisfies InboundCallConfig;

export const inboundCallMachineV2 = inboundCallSetup.createMachine(inboundCallV2);
