import { inboundCallSetup } from './inbound-call.setup.js';
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
 * chain) instead of being queued for a person with a note of the request.
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
  },
});

export type InboundCallSnapshot = ReturnType<typeof inboundCallMachine.getInitialSnapshot>;
