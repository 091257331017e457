import type { Locale, MenuChoice } from '../flows/inbound-call.types.js';
import type { PromptCatalog } from './prompts/prompt-catalog.js';
import type { Expect } from './twiml/render-call.js';

/** Keys of each prompt, as its wording says them (the prompt files and this table change together). */
const KEYS: Partial<Record<Expect, Record<string, MenuChoice>>> = {
  menu: { '1': 'pay', '2': 'due', '3': 'cancel', '0': 'person', '9': 'repeat', '8': 'language' },
  'policy-number': { '0': 'person', '8': 'language' },
  'due-options': { '1': 'pay', '9': 'back', '0': 'person' },
  'card-choice': { '1': 'card-on-file', '2': 'new-card', '9': 'back', '0': 'person' },
  'retry-card': { '1': 'new-card', '9': 'back', '0': 'person' },
  declined: { '2': 'new-card', '0': 'person', '9': 'back' },
  confirmation: { '1': 'repeat', '9': 'back' },
  callback: { '1': 'yes', '9': 'back' },
  'offer-person': { '0': 'person' },
};

/** Spoken words, by vocabulary group of the prompt files, in the order they win. */
const SPEECH: [group: string, choice: MenuChoice][] = [
  ['agent', 'person'], ['repeat', 'repeat'], ['language', 'language'], ['cancel', 'cancel'], ['due', 'due'],
  ['pay', 'pay'], ['yes', 'yes'], ['back', 'back'],
];

/**
 * Pure: what a key or an utterance means at a given prompt, in the caller's
 * language. Unknown keys and words are 'invalid' (the machine re-prompts).
 */
export const menuChoice = (
  prompts: PromptCatalog,
  locale: Locale,
  expect: Expect,
  input: { digits?: string; speech?: string },
): MenuChoice => {
  const key = (input.digits ?? '').replace(/[#*]/g, '');
  const table = KEYS[expect] ?? {};
  if (key) return key.length === 1 ? (table[key] ?? 'invalid') : 'invalid';
  const said = (input.speech ?? '').toLowerCase().normalize('NFC');
  if (!said) return 'invalid';
  const vocab = prompts.speech(locale);
  const allowed = new Set(Object.values(table));
  for (const [group, choice] of SPEECH) {
    if (!allowed.has(choice) && !(choice === 'pay' && allowed.has('card-on-file'))) continue;
    if ((vocab[group] ?? []).some((w) => said.includes(w.toLowerCase()))) return choice;
  }
  return 'invalid';
};

/** A policy picked by key (1-8) from the list read to the caller; null when the key is not on the list. */
export const policyIndex = (digits: string | undefined, count: number): number | null => {
  const n = Number((digits ?? '').replace(/[#*]/g, ''));
  return Number.isInteger(n) && n >= 1 && n <= Math.min(count, 8) ? n - 1 : null;
};
