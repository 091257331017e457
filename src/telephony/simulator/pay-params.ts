import { randomBytes } from 'node:crypto';
import type { PayOutcome, PayRequest } from './input-provider.js';
import { DEFAULT_CARD, tokenizeCard } from './pay-connector.js';
import type { WebhookParams } from './webhook-client.js';

/** Card brand as `<Pay>` names it, from the number's prefix and length. */
export const cardTypeOf = (cardNumber: string): string => {
  const n = cardNumber.replace(/\D/g, '');
  if (/^3[47]\d{13}$/.test(n)) return 'amex';
  if (/^4\d{12}(\d{3})?(\d{3})?$/.test(n)) return 'visa';
  const two = Number(n.slice(0, 2));
  const four = Number(n.slice(0, 4));
  if (n.length === 16 && ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720))) return 'mastercard';
  if (/^(6011|65)/.test(n)) return 'discover';
  if (/^(30[0-5]|36|38)/.test(n)) return 'diners-club';
  if (/^35(2[89]|[3-8])/.test(n)) return 'jcb';
  return 'unknown';
};

/**
 * Masks a card number as Twilio reports it: only the last four digits kept,
 * grouped like the card (`xxxx-xxxx-xxxx-4242`, `xxxx-xxxxxx-x1005` for amex).
 */
export const maskCardNumber = (cardNumber: string): string => {
  const n = cardNumber.replace(/\D/g, '');
  const masked = 'x'.repeat(Math.max(0, n.length - 4)) + n.slice(-4);
  const groups = n.length === 15 ? [4, 6, 5] : [4, 4, 4, 4, 3].slice(0, Math.ceil(n.length / 4));
  const parts: string[] = [];
  let at = 0;
  for (const size of groups) {
    if (at >= masked.length) break;
    parts.push(masked.slice(at, at + size));
    at += size;
  }
  return parts.join('-');
};

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/**
 * The parameters Twilio posts to a `<Pay action>`: `Result` always; on success
 * the token, profile, masked card and (for a charge) the confirmation code;
 * on failure the error fields the outcome names. Card data never appears in full.
 */
export const payActionParams = (request: PayRequest, keyed: PayOutcome): WebhookParams => {
  // why: Twilio's Stripe connector creates a PaymentMethod in the merchant's Stripe account; the
  // simulator cannot, so it answers with Stripe's test one for the keyed card number, which Stripe's
  // test mode and the loopback fake both know. A script names another with `paymentToken`.
  const tokenized = (keyed.result ?? 'success') === 'success' ? tokenizeCard(request, keyed) : { ok: true as const, token: null };
  const outcome: PayOutcome = tokenized.ok ? keyed
    : { ...keyed, result: 'payment-connector-error', paymentError: tokenized.paymentError, connectorError: tokenized.connectorError };
  const result = outcome.result ?? 'success';
  const card = outcome.cardNumber ?? DEFAULT_CARD;
  const params: WebhookParams = { Result: result, PaymentMethod: request.paymentMethod };
  if (result === 'success') {
    params.PaymentToken = outcome.paymentToken ?? (tokenized.ok && tokenized.token ? tokenized.token : `tok_${hex(12)}`);
    params.ProfileId = outcome.profileId ?? `cus_${hex(7)}`;
    if (request.chargeAmount > 0) params.PaymentConfirmationCode = outcome.confirmationCode ?? `ch_${hex(12)}`;
  }
  if (result === 'success' || result === 'payment-connector-error' || result === 'validation-error') {
    params.PaymentCardNumber = maskCardNumber(card);
    params.PaymentCardType = outcome.cardType ?? cardTypeOf(card);
    params.ExpirationDate = outcome.expirationDate ?? '1230';
    params.SecurityCode = '***';
  }
  if (outcome.paymentError !== undefined) params.PaymentError = outcome.paymentError;
  if (outcome.payErrorCode !== undefined) params.PayErrorCode = outcome.payErrorCode;
  if (outcome.connectorError !== undefined) params.ConnectorError = outcome.connectorError;
  return params;
};

/** The capture stages reported to `<Pay statusCallback>`, in order. */
export const payProgressSteps = (withPostalCode: boolean, withSecurityCode: boolean): string[] => [
  'payment-card-number',
  'expiration-date',
  ...(withSecurityCode ? ['security-code'] : []),
  ...(withPostalCode ? ['postal-code'] : []),
  'payment-processing',
];
