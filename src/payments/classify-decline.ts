/**
 * What to do after a declined charge:
 * - `never-retry`: the issuer will never approve this card (lost, stolen,
 *   closed, revoked...). Retrying costs network fees (Visa category 1);
 *   only a different card helps.
 * - `new-details`: the customer must act (expired card, wrong CVC, bank
 *   wants authentication). No blind retry; ask for updated details.
 * - `retry-later`: the calendar decides (no funds today, issuer down). Retry
 *   within the card networks' caps, ideally near payday.
 */
export type DeclineClass = 'never-retry' | 'new-details' | 'retry-later';

/** Stripe's failure fields (`last_payment_error` or a card error), all optional. */
export type DeclineSignals = {
  code?: string | null;
  declineCode?: string | null;
  networkDeclineCode?: string | null;
  adviceCode?: string | null;
  networkAdviceCode?: string | null;
};

export type DeclineVerdict = {
  class: DeclineClass;
  /** Plain words for a retention specialist (never shown to the customer as-is for fraud codes). */
  reason: string;
  /** Which signal decided, e.g. `advice_code=do_not_try_again`. */
  basis: string;
};

export type ClassifyOptions = {
  /** `do_not_honor` is contested (retention.md 1.2): Stripe retries it, some processors treat it as hard. */
  doNotHonor?: DeclineClass;
};

type Rule = { class: DeclineClass; reason: string };

const NEW_CARD = 'Ask for a different card.';
const DONT_SAY_FRAUD = 'Tell the customer only that the card was declined.';

/** Stripe decline codes and error codes (docs.stripe.com/declines/codes). */
const STRIPE_CODES: Record<string, Rule> = {
  lost_card: { class: 'never-retry', reason: `The card was reported lost; the bank will never accept it again. ${NEW_CARD} ${DONT_SAY_FRAUD}` },
  stolen_card: { class: 'never-retry', reason: `The card was reported stolen; the bank will never accept it again. ${NEW_CARD} ${DONT_SAY_FRAUD}` },
  pickup_card: { class: 'never-retry', reason: `The bank has withdrawn this card (pick-up). ${NEW_CARD} ${DONT_SAY_FRAUD}` },
  fraudulent: { class: 'never-retry', reason: `The bank suspects fraud on this card and will not accept it. ${NEW_CARD} ${DONT_SAY_FRAUD}` },
  merchant_blacklist: { class: 'never-retry', reason: `The card is blocked for our payments. ${NEW_CARD} ${DONT_SAY_FRAUD}` },
  highest_risk_level: { class: 'never-retry', reason: `Stripe blocked the payment as too risky. ${NEW_CARD} ${DONT_SAY_FRAUD}` },
  security_violation: { class: 'never-retry', reason: `The bank declined for a security reason. ${NEW_CARD} ${DONT_SAY_FRAUD}` },
  incorrect_number: { class: 'never-retry', reason: `The card number on file is not a valid card. ${NEW_CARD}` },
  invalid_number: { class: 'never-retry', reason: `The card number on file is not a valid card. ${NEW_CARD}` },
  invalid_account: { class: 'never-retry', reason: `The card or its account is closed or invalid. ${NEW_CARD}` },
  revocation_of_authorization: { class: 'never-retry', reason: 'The customer told their bank to stop our payments. Get a new authorisation or a different card.' },
  revocation_of_all_authorizations: { class: 'never-retry', reason: 'The customer told their bank to stop all recurring payments. Get a new authorisation or a different card.' },
  stop_payment_order: { class: 'never-retry', reason: 'The customer asked their bank to stop this payment. Talk to them before charging again.' },
  transaction_not_allowed: { class: 'never-retry', reason: `The card cannot be used for this kind of payment. ${NEW_CARD}` },
  not_permitted: { class: 'never-retry', reason: `The card cannot be used for this kind of payment. ${NEW_CARD}` },
  service_not_allowed: { class: 'never-retry', reason: `The card cannot be used for this kind of payment. ${NEW_CARD}` },
  restricted_card: { class: 'never-retry', reason: `The bank has restricted this card. ${NEW_CARD}` },
  card_not_supported: { class: 'never-retry', reason: `This card type is not accepted. ${NEW_CARD}` },
  currency_not_supported: { class: 'never-retry', reason: `The card cannot pay in this currency. ${NEW_CARD}` },
  duplicate_transaction: { class: 'never-retry', reason: 'The bank saw an identical payment moments ago. Check the payment history before charging again.' },
  expired_card: { class: 'new-details', reason: 'The card has expired. Ask the customer for the new expiry date or a new card.' },
  incorrect_cvc: { class: 'new-details', reason: 'The security code did not match. Ask the customer to enter the card again.' },
  invalid_cvc: { class: 'new-details', reason: 'The security code did not match. Ask the customer to enter the card again.' },
  invalid_expiry_month: { class: 'new-details', reason: 'The expiry date on file is wrong. Ask the customer to enter the card again.' },
  invalid_expiry_year: { class: 'new-details', reason: 'The expiry date on file is wrong. Ask the customer to enter the card again.' },
  incorrect_zip: { class: 'new-details', reason: 'The billing ZIP code did not match. Ask the customer to confirm their card details.' },
  incorrect_pin: { class: 'new-details', reason: 'The PIN was wrong. Ask the customer to pay again.' },
  invalid_pin: { class: 'new-details', reason: 'The PIN was wrong. Ask the customer to pay again.' },
  pin_try_exceeded: { class: 'new-details', reason: 'Too many wrong PINs; the bank locked the card for now. Ask for another card.' },
  authentication_required: { class: 'new-details', reason: 'The bank wants the customer to approve this payment themselves. Send a pay link or take the payment on a call.' },
  offline_pin_required: { class: 'new-details', reason: 'The bank wants the customer to approve this payment themselves. Send a pay link or take the payment on a call.' },
  online_or_offline_pin_required: { class: 'new-details', reason: 'The bank wants the customer to approve this payment themselves. Send a pay link or take the payment on a call.' },
  call_issuer: { class: 'new-details', reason: 'The bank asks the customer to call them before this card can be charged.' },
  new_account_information_available: { class: 'new-details', reason: 'The bank has new details for this card. Ask the customer to enter the card again.' },
  insufficient_funds: { class: 'retry-later', reason: 'Not enough money on the account today. A retry near payday often works.' },
  withdrawal_count_limit_exceeded: { class: 'retry-later', reason: 'The customer reached their card spending limit. A retry in a few days may work.' },
  card_velocity_exceeded: { class: 'retry-later', reason: 'The customer reached their card spending limit. A retry in a few days may work.' },
  card_decline_rate_limit_exceeded: { class: 'retry-later', reason: 'Too many declines on this card recently. Wait at least a day before retrying.' },
  processing_error: { class: 'retry-later', reason: 'A technical error at the bank or network. A retry later usually works.' },
  issuer_not_available: { class: 'retry-later', reason: 'The bank could not be reached. A retry later usually works.' },
  try_again_later: { class: 'retry-later', reason: 'The bank asked us to try again later.' },
  reenter_transaction: { class: 'retry-later', reason: 'The bank could not process the payment. A retry later usually works.' },
  approve_with_id: { class: 'retry-later', reason: 'The bank could not approve the payment right now. A retry later may work.' },
  no_action_taken: { class: 'retry-later', reason: 'The bank declined without saying why. A retry later may work; otherwise ask for another card.' },
  do_not_honor: { class: 'retry-later', reason: 'The bank declined without saying why (do not honour). One retry later may work; otherwise ask the customer to call their bank.' },
  generic_decline: { class: 'retry-later', reason: 'The bank declined without saying why. A retry later may work; otherwise ask the customer to call their bank.' },
};

/** ISO 8583 response codes as Stripe passes them in `network_decline_code` (Visa categories, retention.md 1.2). */
const NETWORK_CODES: Record<string, string> = {
  '04': 'pickup_card', '07': 'pickup_card', '12': 'transaction_not_allowed', '14': 'incorrect_number',
  '15': 'invalid_account', '41': 'lost_card', '43': 'stolen_card', '46': 'invalid_account',
  '57': 'transaction_not_allowed', '62': 'restricted_card', R0: 'stop_payment_order',
  R1: 'revocation_of_authorization', R3: 'revocation_of_all_authorizations',
  '54': 'expired_card', N7: 'incorrect_cvc', '55': 'incorrect_pin', '75': 'pin_try_exceeded', '1A': 'authentication_required',
  '51': 'insufficient_funds', '61': 'card_velocity_exceeded', '65': 'withdrawal_count_limit_exceeded',
  '91': 'issuer_not_available', '96': 'processing_error', '19': 'reenter_transaction', '05': 'do_not_honor',
};

/** Mastercard Merchant Advice Codes as Stripe passes them in `network_advice_code`. */
const MERCHANT_ADVICE: Record<string, Rule> = {
  '01': { class: 'new-details', reason: 'Mastercard says the card details changed. Ask the customer for the new details.' },
  '02': { class: 'retry-later', reason: 'Mastercard says to try again later.' },
  '03': { class: 'never-retry', reason: `Mastercard says never to try this card again. ${NEW_CARD}` },
  '21': { class: 'never-retry', reason: 'The customer cancelled their payments to us with Mastercard. Talk to them before charging again.' },
};

const ADVICE: Record<string, Rule> = {
  do_not_try_again: { class: 'never-retry', reason: `The bank says never to try this card again. ${NEW_CARD}` },
  confirm_card_data: { class: 'new-details', reason: 'The bank says the card details need checking. Ask the customer to confirm or update their card.' },
  try_again_later: { class: 'retry-later', reason: 'The bank says a later retry may succeed.' },
};

const SEVERITY: Record<DeclineClass, number> = { 'retry-later': 0, 'new-details': 1, 'never-retry': 2 };

/**
 * Classifies a decline. Stripe's `advice_code` decides first (it replaces the
 * deprecated decline codes); then Mastercard's merchant advice; otherwise the
 * most severe of the decline code, the network code and the error code wins,
 * so a generic `card_declined` never hides a "stolen" network code. Pure.
 */
export const classifyDecline = (s: DeclineSignals, opts: ClassifyOptions = {}): DeclineVerdict => {
  const withDetail = (rule: Rule, basis: string): DeclineVerdict => {
    // why: the specialist also needs the bank's own code when advice overrides it.
    const code = s.declineCode ?? (s.code && s.code !== 'card_declined' ? s.code : null);
    const own = code ? STRIPE_CODES[code] : undefined;
    // The bank's own wording is more specific when it agrees with the advice.
    if (own && own.class === rule.class) return { class: rule.class, reason: own.reason, basis };
    const detail = code ? ` Bank reason: ${code.replace(/_/g, ' ')}.` : '';
    return { class: rule.class, reason: rule.reason + detail, basis };
  };
  const advice = s.adviceCode ? ADVICE[s.adviceCode] : undefined;
  if (advice) return withDetail(advice, `advice_code=${s.adviceCode}`);
  const mac = s.networkAdviceCode ? MERCHANT_ADVICE[s.networkAdviceCode] : undefined;
  if (mac) return withDetail(mac, `network_advice_code=${s.networkAdviceCode}`);

  const candidates: { rule: Rule; basis: string }[] = [];
  const push = (key: string | null | undefined, basis: string) => {
    if (!key) return;
    let rule = STRIPE_CODES[key];
    if (!rule) return;
    if (key === 'do_not_honor' && opts.doNotHonor) rule = { ...rule, class: opts.doNotHonor };
    candidates.push({ rule, basis });
  };
  push(s.declineCode, `decline_code=${s.declineCode}`);
  const fromNetwork = s.networkDeclineCode ? NETWORK_CODES[s.networkDeclineCode.toUpperCase()] : undefined;
  push(fromNetwork, `network_decline_code=${s.networkDeclineCode}`);
  push(s.code, `code=${s.code}`);
  let best = candidates[0];
  for (const c of candidates) if (best && SEVERITY[c.rule.class] > SEVERITY[best.rule.class]) best = c;
  if (best) return { class: best.rule.class, reason: best.rule.reason, basis: best.basis };
  return {
    class: 'retry-later',
    reason: 'The payment was declined for a reason we do not recognise. One retry later may work; otherwise ask for another card.',
    basis: 'unrecognised',
  };
};
