import { testPaymentMethodForNumber } from '../../shared/stripe-test-cards.js';
import type { PayOutcome, PayRequest } from './input-provider.js';

/** Card number the simulated caller keys when a script names none. */
export const DEFAULT_CARD = '4242424242424242';

/** What Stripe answers a connector tokenising a card that is not one of its test cards, in test mode. */
const LIVE_CARD_IN_TEST_MODE = 'Your card was declined. Your request was in test mode, but used a non test (live) card.';

export type ConnectorAnswer =
  | { ok: true; token: string | null }
  | { ok: false; paymentError: string; connectorError: string };

/**
 * The simulated Stripe Pay connector tokenising the keyed card, as Twilio's would in Stripe's test
 * mode: a `payment-method` token is the test PaymentMethod Stripe documents for that number
 * (4000 0000 0000 9995 → pm_card_chargeDeclinedInsufficientFunds), so a charge of it declines at
 * Stripe (or at the loopback fake) exactly as that card does; any other number is refused, as
 * Stripe's test mode refuses live cards. `token: null` leaves the token to the caller (another
 * token type, or a script naming its own). The digits stay here: only the token, the brand and the
 * last four reach the gateway.
 */
export const tokenizeCard = (request: PayRequest, outcome: PayOutcome): ConnectorAnswer => {
  if (outcome.paymentToken !== undefined || request.tokenType !== 'payment-method') return { ok: true, token: null };
  const pm = testPaymentMethodForNumber(outcome.cardNumber ?? DEFAULT_CARD);
  return pm ? { ok: true, token: pm } : { ok: false, paymentError: LIVE_CARD_IN_TEST_MODE, connectorError: 'card_declined' };
};
