/** How a test card behaves when charged: approve, or decline with Stripe's fields. */
export type CardOutcome =
  | { kind: 'approve' }
  | {
      kind: 'decline';
      code: string;
      declineCode: string;
      networkDeclineCode?: string;
      adviceCode?: string;
      networkAdviceCode?: string;
      message: string;
    };

/** `number`: the card number Stripe documents for this PaymentMethod (what a caller keys to get it). */
export type TestCard = { brand: string; number: string; last4: string; outcome: CardOutcome };

const declined = (
  declineCode: string,
  message: string,
  extra: { code?: string; networkDeclineCode?: string; adviceCode?: string } = {},
): CardOutcome => ({ kind: 'decline', code: extra.code ?? 'card_declined', declineCode, message, ...extra });

/**
 * Stripe's documented test payment methods (docs.stripe.com/testing), with the
 * fields their declines carry. Simplification: attaching always succeeds;
 * the decline happens when the card is charged (like `pm_card_chargeCustomerFail`).
 */
export const TEST_CARDS: Record<string, TestCard> = {
  pm_card_visa: { brand: 'visa', number: '4242424242424242', last4: '4242', outcome: { kind: 'approve' } },
  pm_card_visa_debit: { brand: 'visa', number: '4000056655665556', last4: '5556', outcome: { kind: 'approve' } },
  pm_card_mastercard: { brand: 'mastercard', number: '5555555555554444', last4: '4444', outcome: { kind: 'approve' } },
  pm_card_amex: { brand: 'amex', number: '378282246310005', last4: '0005', outcome: { kind: 'approve' } },
  pm_card_discover: { brand: 'discover', number: '6011111111111117', last4: '1117', outcome: { kind: 'approve' } },
  pm_card_chargeDeclined: { brand: 'visa', number: '4000000000000002', last4: '0002', outcome: declined('generic_decline', 'Your card was declined.') },
  pm_card_chargeCustomerFail: { brand: 'visa', number: '4000000000000341', last4: '0341', outcome: declined('generic_decline', 'Your card was declined.') },
  pm_card_chargeDeclinedInsufficientFunds: {
    brand: 'visa', number: '4000000000009995', last4: '9995',
    outcome: declined('insufficient_funds', 'Your card has insufficient funds.', { networkDeclineCode: '51', adviceCode: 'try_again_later' }),
  },
  pm_card_chargeDeclinedLostCard: {
    brand: 'visa', number: '4000000000009987', last4: '9987',
    outcome: declined('lost_card', 'Your card was declined.', { networkDeclineCode: '41', adviceCode: 'do_not_try_again' }),
  },
  pm_card_chargeDeclinedStolenCard: {
    brand: 'visa', number: '4000000000009979', last4: '9979',
    outcome: declined('stolen_card', 'Your card was declined.', { networkDeclineCode: '43', adviceCode: 'do_not_try_again' }),
  },
  pm_card_chargeDeclinedFraudulent: {
    brand: 'visa', number: '4100000000000019', last4: '0019', outcome: declined('fraudulent', 'Your card was declined.', { adviceCode: 'do_not_try_again' }),
  },
  pm_card_chargeDeclinedExpiredCard: {
    brand: 'visa', number: '4000000000000069', last4: '0069',
    outcome: declined('expired_card', 'Your card has expired.', { code: 'expired_card', networkDeclineCode: '54', adviceCode: 'confirm_card_data' }),
  },
  pm_card_chargeDeclinedIncorrectCvc: {
    brand: 'visa', number: '4000000000000127', last4: '0127',
    outcome: declined('incorrect_cvc', "Your card's security code is incorrect.", { code: 'incorrect_cvc', adviceCode: 'confirm_card_data' }),
  },
  pm_card_chargeDeclinedProcessingError: {
    brand: 'visa', number: '4000000000000119', last4: '0119',
    outcome: declined('processing_error', 'An error occurred while processing your card. Try again in a little bit.', { code: 'processing_error' }),
  },
  pm_card_authenticationRequired: {
    brand: 'visa', number: '4000002760003184', last4: '3184',
    outcome: declined('authentication_required', 'Your card requires authentication.', { code: 'authentication_required' }),
  },
};

/**
 * The test PaymentMethod Stripe's documentation pairs with a card number (4000 0000 0000 9995 →
 * pm_card_chargeDeclinedInsufficientFunds), as a Pay connector tokenising that number in test mode
 * would return; null for a number that is not one of Stripe's test cards.
 */
export const testPaymentMethodForNumber = (cardNumber: string): string | null => {
  const digits = cardNumber.replace(/\D/g, '');
  return Object.entries(TEST_CARDS).find(([, c]) => c.number === digits)?.[0] ?? null;
};
