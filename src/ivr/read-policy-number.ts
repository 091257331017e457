/**
 * Pure: a policy number as a caller keyed or said it, in the compact form
 * policies are matched on (capital letters and digits only). Speech comes in
 * many shapes: letters spaced or run together or dotted ("H M A", "HMA",
 * "h.m.a."), separators printed or said ("HM-A", "dash", "guion"), digits as
 * numerals, grouped ("200,874") or as words ("two oh oh", "dos cero cero",
 * "double seven"), sometimes inside a sentence ("my policy number is ...").
 * The words come from the caller's locale (speech groups `digit.0`..`digit.9`,
 * `separator`, `double`, `triple`, `filler` of the prompt files).
 */
export const readPolicyNumber = (entered: string, vocab: Record<string, string[]>): string => {
  const words = wordTable(vocab);
  let out = '';
  let repeat = 1;
  // why: dots and commas sit inside one token ("h.m.a.", "200,874"); other punctuation separates.
  for (const token of entered.toLowerCase().normalize('NFC').replace(/[.,]/g, '').split(/[\s\-_/]+/)) {
    if (!token) continue;
    const word = words.get(token);
    if (word === 'skip') continue;
    if (typeof word === 'number') {
      repeat = word;
      continue;
    }
    const chars = (word ?? token).toUpperCase().replace(/[^A-Z0-9]/g, '');
    if (!chars) continue;
    out += chars[0]!.repeat(repeat) + chars.slice(1);
    repeat = 1;
  }
  return out;
};

type Word = string | number | 'skip';
const tables = new WeakMap<Record<string, string[]>, Map<string, Word>>();

/** Spoken word -> digit, repeat count, or skip; built once per locale's vocabulary. */
const wordTable = (vocab: Record<string, string[]>): Map<string, Word> => {
  let t = tables.get(vocab);
  if (t) return t;
  t = new Map<string, Word>();
  const add = (group: string, value: Word) => {
    for (const w of vocab[group] ?? []) t!.set(w.toLowerCase().normalize('NFC'), value);
  };
  for (let d = 0; d <= 9; d++) add(`digit.${d}`, String(d));
  add('separator', 'skip');
  add('filler', 'skip');
  add('double', 2);
  add('triple', 3);
  tables.set(vocab, t);
  return t;
};
