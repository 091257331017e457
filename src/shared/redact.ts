/**
 * Masking applied to every provider payload before it is logged or written
 * as evidence. Card data must never be stored (PCI DSS); Twilio's <Pay>
 * already masks it, and this is the second line of defence.
 */
const SECRET_KEYS = new Set(
  [
    'authtoken', 'auth_token', 'password', 'secret', 'token', 'apikey', 'api_key',
    'paymenttoken', 'securitycode', 'cvc', 'cvv', 'cardnumber', 'card_number',
    'paymentcardnumber', 'expirationdate', 'bankaccountnumber', 'bankroutingnumber',
    'dateofbirth', 'date_of_birth', 'dob', 'zip', 'postalcode', 'paymentcardpostalcode',
  ].map((k) => k.toLowerCase()),
);

const MASK = '[redacted]';

/**
 * A free-standing run of 12-19 digits (spaces or dashes allowed) that passes
 * the Luhn check looks like a card number. Runs glued to letters (provider
 * ids such as CallSids) or led by "+" (E.164 phone numbers) are left alone.
 */
const PAN_LIKE = /(?<![A-Za-z0-9+])\d(?:[ -]?\d){11,18}(?![A-Za-z0-9])/g;

const passesLuhn = (digits: string): boolean => {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
};

const redactString = (s: string): string =>
  s.replace(PAN_LIKE, (m) => {
    const digits = m.replace(/[^\d]/g, '');
    return passesLuhn(digits) ? `[pan:${digits.slice(-4)}]` : m;
  });

export const redactValue = (value: unknown, extraKeys: ReadonlySet<string> = new Set()): unknown => {
  if (typeof value === 'string') return redactString(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, extraKeys));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = k.toLowerCase();
      out[k] = SECRET_KEYS.has(key) || extraKeys.has(key) ? MASK : redactValue(v, extraKeys);
    }
    return out;
  }
  return value;
};

/** Redacts a flat record of provider parameters (a Twilio form body, say). */
export const redactParams = (
  params: Record<string, unknown>,
  extraKeys: ReadonlySet<string> = new Set(),
): Record<string, unknown> => redactValue(params, extraKeys) as Record<string, unknown>;
