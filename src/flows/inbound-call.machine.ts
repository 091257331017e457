import { inboundCallSetup, transferStood } from './inbound-call.setup.js';
import { inboundCallV2 as v2 } from './inbound-call.v2.machine.js';

export type * from './inbound-call.types.js';
export { MAX_ATTEMPTS, MAX_CARD_TRIES, MAX_PAYMENT_WAITS } from './inbound-call.setup.js';

/**
 * The inbound voice call, as a pure statechart: identification (caller ID,
 * else policy number plus one verification factor, limited attempts), the
 * self-service menu, paying the premium (card on file or a new card captured
 * by Twilio <Pay>), and routes to a person that follow business hours.
 * Webhook handlers turn what Twilio posts into events (doing any lookups
 * first); the TwiML renderer turns each state into what the caller hears.
 *
 * Version 3: version 2 (inbound-call.v2.machine.ts) where a caller who asks
 * to cancel an identified policy is handed over to the retention call (its
 * own machine, retention-call.machine.ts, on the same call and evidence
 * chain) instead of being queued for a person with a note of the request;
 * and a caller who asks for a person holds in a conference of their own while
 * specialists are rung one at a time (a warm transfer, transfer.start), instead
 * of a queue nobody served: a bridge, a callback offer, or the caller's hang-up.
 */
export const inboundCallMachine = inboundCallSetup.createMachine({
  ...v2,
  states: {
    ...v2.states,
    mainMenu: {
      ...v2.states.mainMenu,
      on: {
        ...v2.states.mainMenu.on,
        MENU: [{ guard: 'cancelsChosenPolicy', target: 'retention' }, ...v2.states.mainMenu.on.MENU],
      },
    },
    /** The retention call runs the rest of the call (its renderer redirects there); this session only hears the call end. */
    retention: {},
    routeToPerson: {
      always: [{ guard: 'openNow', target: 'holdForSpecialist' }, { target: 'offerCallback' }],
    },
    /** On hold in the caller's own conference while specialists are rung; how the wait ended decides what follows. */
    holdForSpecialist: {
      entry: {
        type: 'outbox:transfer.start',
        params: ({ context }) => ({
          callSid: context.callSid, flow: 'ivr' as const,
          policyId: context.policy?.policyId ?? (context.identified?.policies.length === 1 ? context.identified.policies[0]!.policyId : null),
          policyholderId: context.identified?.policyholderId ?? null, phone: context.from, locale: context.locale,
          reason: context.personReason ?? 'asked', priority: false, context: { reason: null, offersMade: [], offersDeclined: [] },
        }),
      },
      on: {
        TRANSFER_ENDED: [
          { guard: transferStood('bridged', 'ended'), target: 'goodbye', actions: 'servedBySpecialist' },
          { guard: transferStood('abandoned'), target: 'ended' },
          { target: 'offerCallback', actions: 'nobodyTookIt' },
        ],
      },
    },
  },
});

export type InboundCallSnapshot = ReturnType<typeof inboundCallMachine.getInitialSnapshot>;
