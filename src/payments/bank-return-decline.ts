/**
 * NACHA return codes of a failed bank debit, as the Stripe decline code that
 * means the same to us, so one classifier (classifyDecline) decides what a
 * bank failure allows: R01 is "no money today", R02 "the account is closed".
 * why: a hand-kept table; no library maps ACH returns, and only the common
 * consumer-debit returns are listed (others classify as unrecognised).
 */
const RETURN_AS_DECLINE: Record<string, string> = {
  R01: 'insufficient_funds', // insufficient funds
  R09: 'insufficient_funds', // uncollected funds
  R02: 'invalid_account', // account closed
  R03: 'invalid_account', // no account / unable to locate
  R04: 'invalid_account', // invalid account number
  R20: 'invalid_account', // non-transaction account
  R05: 'revocation_of_authorization', // unauthorised debit to a consumer account
  R07: 'revocation_of_authorization', // authorisation revoked by the customer
  R10: 'revocation_of_authorization', // customer says not authorised
  R29: 'revocation_of_authorization', // corporate customer says not authorised
  R08: 'stop_payment_order', // payment stopped
  R16: 'restricted_card', // account frozen
};

/** The Stripe decline code a bank return code stands for (R01 -> insufficient_funds), or null when we do not know it. */
export const declineCodeOfBankReturn = (returnCode: string): string | null => RETURN_AS_DECLINE[returnCode.toUpperCase()] ?? null;
