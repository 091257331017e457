/**
 * Masking of card data and secrets (PCI DSS: card data is never stored).
 * Twilio's <Pay> already keeps card numbers from us; a caller or customer who
 * keys, says or texts one anyway has it masked twice: where the request is
 * parsed (maskCardNumbers on the input fields), and in every provider payload
 * recorded as evidence (redactParams, which also masks secret fields by name).
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

/** Digits as a speech recogniser may write them out (English and Spanish prompts). */
const DIGIT_WORDS: Readonly<Record<string, string>> = {
  zero: '0', oh: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9',
  cero: '0', uno: '1', dos: '2', tres: '3', cuatro: '4', cinco: '5', seis: '6', siete: '7', ocho: '8', nueve: '9',
};
const DIGIT_WORD = `(?:${Object.keys(DIGIT_WORDS).join('|')})(?![\\p{L}\\p{N}])`;
const DIGIT = `(?:\\d|${DIGIT_WORD})`;
/** Between digits: spaces, or one dash, dot or comma with spaces around it ("4111-1111", "four, one"). */
const GAP = '(?:[ \\t]+|[ \\t]*[-.,][ \\t]*)';

/**
 * A free-standing run of digits, numerals or spoken words ("4111 1111...",
 * "four one one one..."). Runs glued to letters or "_" (provider ids such as
 * CallSids) or led by "+" (E.164 phone numbers) are left alone.
 */
const DIGIT_RUN = new RegExp(`(?<![\\p{L}\\p{N}_+])${DIGIT}(?:${GAP}?${DIGIT})*(?![\\p{L}\\p{N}_])`, 'giu');

/** The Luhn (mod 10) check every card number passes. */
export const passesLuhn = (digits: string): boolean => {
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

/** Card lengths, most common first: which stretch of a run is named as the card. */
const CARD_LENGTHS = [16, 15, 19, 13, 14, 17, 18, 12];

/**
 * The card number in a run, given as its groups of digits (numerals between
 * gaps, or one spoken word each), or null: the whole run when it has 12-19
 * digits and passes the Luhn check, else the first 12-19 digit stretch that
 * passes and starts and ends where the person paused (a card number texted
 * with its code after a space), or anywhere inside a group too long to be a
 * card (one keyed with its expiry date, say).
 */
const cardIn = (groups: readonly string[]): string | null => {
  const digits = groups.join('');
  if (digits.length < 12) return null;
  if (digits.length <= 19 && passesLuhn(digits)) return digits;
  const cuts = new Set<number>([0]);
  let end = 0;
  for (const g of groups) {
    if (g.length > 19) for (let i = 1; i < g.length; i++) cuts.add(end + i);
    end += g.length;
    cuts.add(end);
  }
  for (const at of [...cuts].sort((a, b) => a - b)) {
    for (const len of CARD_LENGTHS) {
      if (at + len <= digits.length && cuts.has(at + len) && passesLuhn(digits.slice(at, at + len))) {
        return digits.slice(at, at + len);
      }
    }
  }
  return null;
};

const groupsOf = (run: string): string[] =>
  (run.match(/\d+|\p{L}+/gu) ?? []).map((g) => DIGIT_WORDS[g.toLowerCase()] ?? g);

/**
 * Masks every card number in a text as `[pan:LAST4]` (PCI DSS allows the last
 * four): what a caller keyed or said, what a customer texted. Applied where
 * requests enter, so nothing downstream (machine, evidence, stored answers,
 * logs) ever holds the number, and again to every provider payload recorded.
 */
/** How many numerals a text holds: fewer than 12 and no card number can be written in them. */
const numerals = (s: string): number => {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
};

const maskRuns = (s: string): string =>
  s.replace(DIGIT_RUN, (run) => {
    const card = cardIn(groupsOf(run));
    return card ? `[pan:${card.slice(-4)}]` : run;
  });

/** A UUID (our ids, in payloads and Stripe metadata): its all-digit groups, dash-joined, can look like a card number. */
const UUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

/** Spoken digits in a text (the card pattern needs twelve digits, numerals or spoken). */
const SPOKEN_DIGITS = new RegExp(`(?<![\\p{L}\\p{N}])${DIGIT_WORD}`, 'giu');

/** Whether a text holds at least twelve digits, as numerals or spoken words: else no card number can be in it. */
const mayHoldCard = (s: string): boolean => {
  const n = numerals(s);
  return n >= 12 || n + (s.match(SPOKEN_DIGITS)?.length ?? 0) >= 12;
};

/**
 * Texts lately found to hold no card number: a call's SIDs and the prompts it hears come back on every
 * turn and in every net (edge, recorded params, evidence). Only clean texts are kept, so this memory
 * never holds a card number; cleared when full.
 */
const knownClean = new Set<string>();
const KNOWN_CLEAN_MAX = 4_096;
const KNOWN_CLEAN_MAX_LENGTH = 512;

export const maskCardNumbers = (s: string): string => {
  // why: nearly every text (a prompt, a city, an id) holds fewer than twelve digits: passed over without the card pattern.
  if (s.length < 12 || knownClean.has(s)) return s;
  // why: masking a digit run inside an id would corrupt the id (a payment no longer matched to its attempt).
  const masked = !mayHoldCard(s) ? s
    : UUID.test(s) ? s.split(UUID).map((part, i) => (i % 2 === 1 ? part : maskRuns(part))).join('') : maskRuns(s);
  // why: only short texts (ids, prompts) come back; a long one remembered would hold its memory for nothing.
  if (masked === s && s.length <= KNOWN_CLEAN_MAX_LENGTH) {
    if (knownClean.size >= KNOWN_CLEAN_MAX) knownClean.clear();
    knownClean.add(s);
  }
  return masked;
};

/** Whether a text holds a card number masked by maskCardNumbers. */
export const holdsMaskedCard = (s: string): boolean => /\[pan:\d{4}\]/.test(s);

const NO_KEYS: ReadonlySet<string> = new Set();
/** Field names seen, lower-cased once: a provider sends the same few dozen on every request. */
const lowerKeys = new Map<string, string>();
const lowerKey = (k: string): string => {
  let l = lowerKeys.get(k);
  if (l === undefined) {
    l = k.toLowerCase();
    // why: a provider's field names are short and few; anything else (a hostile body's keys) is not kept.
    if (lowerKeys.size < 1_000 && k.length <= 64) lowerKeys.set(k, l);
  }
  return l;
};

/** A value with card numbers masked and secret fields (by name) replaced; the same value when nothing changed. */
export const redactValue = (value: unknown, extraKeys: ReadonlySet<string> = NO_KEYS): unknown => {
  if (typeof value === 'string') return maskCardNumbers(value);
  if (Array.isArray(value)) {
    const out = value.map((v) => redactValue(v, extraKeys));
    return out.some((v, i) => v !== value[i]) ? out : value;
  }
  if (value && typeof value === 'object') {
    // why: nearly every record comes back unchanged: a copy is made only from the first changed field on.
    const entries = Object.entries(value);
    let out: Record<string, unknown> | null = null;
    for (let i = 0; i < entries.length; i++) {
      const [k, v] = entries[i]!;
      const key = lowerKey(k);
      const r = SECRET_KEYS.has(key) || extraKeys.has(key) ? MASK : redactValue(v, extraKeys);
      if (!out && r !== v) out = Object.fromEntries(entries.slice(0, i));
      if (out) out[k] = r;
    }
    return out ?? value;
  }
  return value;
};

/** Redacts a flat record of provider parameters (a Twilio form body, say). */
export const redactParams = (
  params: Record<string, unknown>,
  extraKeys: ReadonlySet<string> = NO_KEYS,
): Record<string, unknown> => redactValue(params, extraKeys) as Record<string, unknown>;

/**
 * A request URL with every card number masked, in its path segments and its query (decoded,
 * masked, encoded again): what is recorded or logged of a URL someone typed a card number into.
 */
export const maskUrl = (url: string): string => {
  if (numerals(url) < 12) return url;
  const q = url.indexOf('?');
  const [path, query] = q < 0 ? [url, ''] : [url.slice(0, q), url.slice(q + 1)];
  const maskedPath = path.split('/').map((seg) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(seg);
    } catch {
      return maskCardNumbers(seg);
    }
    const masked = maskCardNumbers(decoded);
    return masked === decoded ? seg : encodeURIComponent(masked);
  }).join('/');
  if (!query) return maskedPath + (q < 0 ? '' : '?');
  const params = new URLSearchParams(query);
  const out = new URLSearchParams();
  let changed = false;
  for (const [k, v] of params) {
    const [mk, mv] = [maskCardNumbers(k), maskCardNumbers(v)];
    changed ||= mk !== k || mv !== v;
    out.append(mk, mv);
  }
  return `${maskedPath}?${changed ? out.toString() : query}`;
};


/**
 * A decoded body, query or params (or any payload) with every card number written in numerals in
 * its strings (keys included) masked; the same object when none. The safety net under every field:
 * spoken digits ("four one one one...") are masked where speech and texts arrive (the SpeechResult
 * and Body schemas) and in every provider payload recorded (redactParams).
 */
export const maskCardsIn = (value: unknown): unknown => {
  // why: a string with fewer than 12 numerals (nearly all) is passed over without running the card pattern.
  if (typeof value === 'string') return maskCardNumbers(value);
  if (Array.isArray(value)) {
    const out = value.map(maskCardsIn);
    return out.some((v, i) => v !== value[i]) ? out : value;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    // why: nearly every object comes back unchanged: a copy is made only from the first masked entry on.
    const entries = Object.entries(value);
    let out: Record<string, unknown> | null = null;
    for (let i = 0; i < entries.length; i++) {
      const [k, v] = entries[i]!;
      const key = maskCardsIn(k) as string;
      const masked = maskCardsIn(v);
      if (!out && (key !== k || masked !== v)) out = Object.fromEntries(entries.slice(0, i));
      if (out) out[key] = masked;
    }
    return out ?? value;
  }
  return value;
};
