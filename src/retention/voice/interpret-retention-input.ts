import type { Locale } from '../../flows/inbound-call.types.js';
import { RETENTION_REASONS, type RetentionChoice } from '../../flows/retention-call.types.js';
import type { PromptCatalog } from '../../ivr/prompts/prompt-catalog.js';
import type { RetentionExpect } from './retention-turn.js';

const COMMON: Record<string, RetentionChoice> = { '7': { kind: 'cancel-now' }, '0': { kind: 'person' }, '9': { kind: 'repeat' } };
const reasonKeys = Object.fromEntries(RETENTION_REASONS.map((reason, i) => [String(i + 1), { kind: 'reason', reason } as RetentionChoice]));

/** Keys of each prompt, as its wording says them (the prompt files and this table change together). */
const KEYS: Partial<Record<RetentionExpect, Record<string, RetentionChoice>>> = {
  reason: { ...reasonKeys, ...COMMON },
  offer: { '1': { kind: 'accept' }, '2': { kind: 'decline' }, ...COMMON },
  'confirm-day': { '1': { kind: 'accept' }, '2': { kind: 'decline' }, ...COMMON },
  'confirm-cancel': { '1': { kind: 'yes' }, '2': { kind: 'keep' }, ...COMMON },
  callback: { '1': { kind: 'yes' }, '7': { kind: 'cancel-now' }, '9': { kind: 'repeat' } },
};

/** Spoken words by vocabulary group, in the order they win; what each means at each prompt. */
const SPEECH: [group: string, at: RetentionExpect[], choice: RetentionChoice][] = [
  ['cancel-now', ['reason', 'offer', 'confirm-day', 'confirm-cancel', 'callback'], { kind: 'cancel-now' }],
  ['agent', ['reason', 'offer', 'confirm-day', 'confirm-cancel'], { kind: 'person' }],
  ['repeat', ['reason', 'offer', 'confirm-day', 'confirm-cancel', 'callback'], { kind: 'repeat' }],
  ['mis-sold', ['reason'], { kind: 'reason', reason: 'mis-sold' }],
  ['expensive', ['reason'], { kind: 'reason', reason: 'too-expensive' }],
  ['cheaper', ['reason'], { kind: 'reason', reason: 'found-cheaper' }],
  ['not-needed', ['reason'], { kind: 'reason', reason: 'no-longer-needed' }],
  ['family', ['reason'], { kind: 'reason', reason: 'family-objects' }],
  ['other', ['reason'], { kind: 'reason', reason: 'other' }],
  ['decline', ['offer', 'confirm-day'], { kind: 'decline' }],
  ['decline', ['confirm-cancel'], { kind: 'keep' }],
  ['accept', ['offer', 'confirm-day', 'callback'], { kind: 'accept' }],
  ['accept', ['confirm-cancel'], { kind: 'yes' }],
];

const words = (s: string) => ` ${s.toLowerCase().normalize('NFC').replace(/[^\p{L}\p{N}\s-]/gu, ' ').replace(/\s+/g, ' ').trim()} `;

/**
 * Pure: what a key or an utterance means at a retention prompt, in the
 * caller's language. Unknown keys and words are 'invalid' (the machine asks again).
 */
export const retentionChoice = (
  prompts: PromptCatalog, locale: Locale, expect: RetentionExpect, input: { digits?: string; speech?: string },
): RetentionChoice => {
  const key = (input.digits ?? '').replace(/#$/, '');
  if (key) return key.length === 1 ? (KEYS[expect]?.[key] ?? { kind: 'invalid' }) : { kind: 'invalid' };
  const said = words(input.speech ?? '');
  if (!said.trim()) return { kind: 'invalid' };
  const vocab = prompts.speech(locale);
  for (const [group, at, choice] of SPEECH) {
    if (!at.includes(expect)) continue;
    // why: whole words, so "no" is not heard in "know" nor "sí" in "sin".
    if ((vocab[group] ?? []).some((w) => said.includes(words(w)))) return choice;
  }
  return { kind: 'invalid' };
};

/** A payment day keyed in: 1-28, or null for anything else (star and 0 are read before this). */
export const paymentDayOf = (digits: string | undefined): number | null => {
  const d = (digits ?? '').replace(/#$/, '');
  if (!/^\d{1,2}$/.test(d)) return null;
  const n = Number(d);
  return n >= 1 && n <= 28 ? n : null;
};
