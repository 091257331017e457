import { parsePhoneNumberFromString } from 'libphonenumber-js';

const E164_MEMO_MAX = 10_000;
const e164Memo = new Map<string, string | null>();

/**
 * E.164 form of a number as a provider sends it (caller ID, SMS sender), or
 * null for withheld, SIP or malformed numbers. Memoised (bounded): a call's
 * numbers are parsed on several of its turns, and our own numbers on every call.
 */
export const toE164 = (raw: string): string | null => {
  const known = e164Memo.get(raw);
  if (known !== undefined) return known;
  const p = parsePhoneNumberFromString(raw, 'US');
  const out = p?.isValid() ? p.number : null;
  // why: phone numbers are short; a long hostile value is parsed and not kept.
  if (raw.length > 32) return out;
  if (e164Memo.size >= E164_MEMO_MAX) e164Memo.clear();
  e164Memo.set(raw, out);
  return out;
};
