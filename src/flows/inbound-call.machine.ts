import { assign, setup } from 'xstate';

/**
 * The inbound voice call, as a pure statechart. Webhook handlers turn what
 * Twilio posts into these events (looking things up first, so the machine
 * never does I/O); the TwiML renderer turns each state into what the caller
 * hears. Identification: caller ID match, else policy number plus one
 * verification factor, with limited attempts.
 */

export type Locale = 'en-US' | 'es-US';

/** What the IVR may know about a policy; never verification values. */
export type PolicySummary = {
  policyId: string;
  policyNumber: string;
  status: string;
};

export type CallerMatch = {
  policyholderId: string;
  firstName: string;
  locale: Locale;
  policies: PolicySummary[];
  /** Which factor verifies this caller when they were not matched by caller ID. */
  verifyBy?: 'zip' | 'dob';
};

export type InboundCallInput = {
  callSid: string;
  from: string;
  to: string;
  /** Set when the caller ID matches exactly one policyholder. */
  caller: CallerMatch | null;
  defaultLocale: Locale;
};

export type InboundCallContext = {
  callSid: string;
  from: string;
  to: string;
  locale: Locale;
  /** Who we are talking to, once identified (by caller ID or verification). */
  identified: CallerMatch | null;
  /** Identified by caller ID (true) or by policy number and verification (false). */
  byCallerId: boolean;
  /** A policy number was entered and found; verification pending. */
  candidate: CallerMatch | null;
  /** Failed tries at the current step (no input, bad input, no match). */
  attempts: number;
  /** Why the last prompt is repeated: shown to the caller before the prompt. */
  notice: 'no-input' | 'invalid' | 'not-found' | 'verify-failed' | null;
  /** Whether the next main-menu prompt starts with the personal greeting. */
  greet: boolean;
  endReason: string | null;
};

export type InboundCallEvent =
  | { type: 'POLICY_LOOKUP'; match: CallerMatch | null }
  | { type: 'VERIFICATION'; passed: boolean }
  | { type: 'MENU'; choice: 'pay' | 'due' | 'cancel' | 'person' | 'repeat' | 'language' | 'invalid' }
  | { type: 'NO_INPUT' }
  | { type: 'QUEUE_LEFT'; result: string }
  | { type: 'CALL_ENDED'; status: string };

/** Tries per step before we offer a person: DOMAIN.md, "limited attempts". */
export const MAX_ATTEMPTS = 3;

export const inboundCallMachine = setup({
  types: {} as { context: InboundCallContext; events: InboundCallEvent; input: InboundCallInput },
  guards: {
    knownCaller: ({ context }) => context.identified !== null,
    outOfAttempts: ({ context }) => context.attempts + 1 >= MAX_ATTEMPTS,
    policyFound: ({ event }) => event.type === 'POLICY_LOOKUP' && event.match !== null,
    verified: ({ event }) => event.type === 'VERIFICATION' && event.passed,
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
      locale: ({ context }) => context.candidate?.locale ?? context.locale,
      candidate: null,
      greet: true,
      attempts: 0,
      notice: null,
    }),
    toggleLanguage: assign({ locale: ({ context }) => (context.locale === 'en-US' ? 'es-US' : 'en-US') as Locale }),
    noGreeting: assign({ greet: false }),
    endedBy: assign({ endReason: ({ event }) => (event.type === 'CALL_ENDED' ? event.status : 'ended') }),
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
    attempts: 0,
    notice: null,
    greet: true,
    endReason: null,
  }),
  initial: 'start',
  on: {
    CALL_ENDED: { target: '.ended', actions: 'endedBy' },
  },
  states: {
    start: {
      always: [{ guard: 'knownCaller', target: 'mainMenu' }, { target: 'askPolicyNumber' }],
    },
    askPolicyNumber: {
      tags: ['identifying'],
      on: {
        POLICY_LOOKUP: [
          { guard: 'policyFound', target: 'askVerification', actions: 'keepCandidate' },
          { guard: 'outOfAttempts', target: 'offerPerson' },
          { target: 'askPolicyNumber', reenter: true, actions: 'retry' },
        ],
        NO_INPUT: [
          { guard: 'outOfAttempts', target: 'offerPerson' },
          { target: 'askPolicyNumber', reenter: true, actions: 'retry' },
        ],
        MENU: [
          { guard: ({ event }) => event.choice === 'language', actions: 'toggleLanguage', target: 'askPolicyNumber', reenter: true },
          { guard: ({ event }) => event.choice === 'person', target: 'transferToPerson' },
        ],
      },
    },
    askVerification: {
      tags: ['identifying', 'secret-input'],
      on: {
        VERIFICATION: [
          { guard: 'verified', target: 'mainMenu', actions: 'acceptCandidate' },
          { guard: 'outOfAttempts', target: 'offerPerson' },
          { target: 'askVerification', reenter: true, actions: 'retry' },
        ],
        NO_INPUT: [
          { guard: 'outOfAttempts', target: 'offerPerson' },
          { target: 'askVerification', reenter: true, actions: 'retry' },
        ],
      },
    },
    mainMenu: {
      exit: 'noGreeting',
      on: {
        MENU: [
          { guard: ({ event }) => event.choice === 'person', target: 'transferToPerson' },
          { guard: ({ event }) => event.choice === 'repeat', target: 'mainMenu', reenter: true, actions: 'resetAttempts' },
          { guard: ({ event }) => event.choice === 'language', target: 'mainMenu', reenter: true, actions: ['toggleLanguage', 'resetAttempts'] },
          { guard: 'outOfAttempts', target: 'offerPerson' },
          { target: 'mainMenu', reenter: true, actions: 'retry' },
        ],
        NO_INPUT: [
          { guard: 'outOfAttempts', target: 'offerPerson' },
          { target: 'mainMenu', reenter: true, actions: 'retry' },
        ],
      },
    },
    offerPerson: {
      on: {
        MENU: [
          { guard: ({ event }) => event.choice === 'person', target: 'transferToPerson' },
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
