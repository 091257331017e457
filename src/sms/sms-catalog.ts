import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locale } from '../flows/inbound-call.machine.js';
import { loadMessageTemplates } from './message-templates.js';
import { SMS_TEMPLATE_SPECS, type SmsTemplateKey } from './sms-template-specs.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'messages');

export type SmsCatalog = { text: (locale: Locale, key: string, vars: Record<string, string>) => string };

/**
 * The SMS wording per locale (src/sms/messages), checked when a process starts against
 * SMS_TEMPLATE_SPECS (the same keys in every locale, every variable declared and used, each within
 * its segment budget at its worst, no opt-out keyword asked for a policy action): a bad template
 * stops the start, naming the locale, the key and what is wrong.
 */
export const loadSmsCatalog = (dir = DIR): SmsCatalog => {
  const templates = loadMessageTemplates({ name: 'sms', dir, specs: SMS_TEMPLATE_SPECS });
  return {
    text: (locale, key, vars) => {
      if (!Object.hasOwn(SMS_TEMPLATE_SPECS, key)) throw new Error(`no SMS text ${key}`);
      return templates.render(locale, key as SmsTemplateKey, vars);
    },
  };
};
