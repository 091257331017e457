import type { InboundCallEvent, Locale } from '../flows/inbound-call.machine.js';
import type { PromptCatalog } from './prompts/prompt-catalog.js';

type Choice = Extract<InboundCallEvent, { type: 'MENU' }>['choice'];

const KEYS: Record<string, Choice> = {
  '1': 'pay',
  '2': 'due',
  '3': 'cancel',
  '0': 'person',
  '9': 'repeat',
  '8': 'language',
};

/** Pure: a menu key or utterance to a menu choice, in the caller's language. */
export const menuChoice = (
  prompts: PromptCatalog,
  locale: Locale,
  input: { digits?: string; speech?: string },
): Choice => {
  const key = (input.digits ?? '').replace(/[#*]/g, '');
  if (key) return KEYS[key] ?? 'invalid';
  const said = (input.speech ?? '').toLowerCase().normalize('NFC');
  if (!said) return 'invalid';
  const vocab = prompts.speech(locale);
  const order: [string, Choice][] = [
    ['agent', 'person'], ['repeat', 'repeat'], ['language', 'language'], ['pay', 'pay'], ['due', 'due'], ['cancel', 'cancel'],
  ];
  for (const [group, choice] of order) {
    if ((vocab[group] ?? []).some((w) => said.includes(w.toLowerCase()))) return choice;
  }
  return 'invalid';
};
