import { inboundCallSetup } from './inbound-call.setup.js';
import { inboundCallV1 as v1 } from './inbound-call.v1.machine.js';

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
 * Version 2: version 1 (inbound-call.v1.machine.ts) with the states below
 * replaced or added, so this file reads as what changed. docs/machines.md
 * draws both whole.
 */
export const inboundCallMachine = inboundCallSetup.createMachine({
  ...v1,
  states: {
    ...v1.states,
  },
});

export type InboundCallSnapshot = ReturnType<typeof inboundCallMachine.getInitialSnapshot>;
