import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Locale } from '../flows/inbound-call.machine.js';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'messages');
const schema = z.record(z.string(), z.string().min(1).max(1600));

export type SmsCatalog = { text: (locale: Locale, key: string, vars: Record<string, string>) => string };

/** SMS wording per locale, validated at start: the same keys in every locale. */
export const loadSmsCatalog = (dir = DIR): SmsCatalog => {
  const files = Object.fromEntries(
    (['en-US', 'es-US'] as const).map((l) => [l, schema.parse(JSON.parse(readFileSync(path.join(dir, `${l}.json`), 'utf8')))]),
  ) as Record<Locale, Record<string, string>>;
  const keys = Object.keys(files['en-US']).sort().join(',');
  if (Object.keys(files['es-US']).sort().join(',') !== keys) throw new Error('SMS message files differ in keys');
  return {
    text: (locale, key, vars) => {
      const t = files[locale][key];
      if (t === undefined) throw new Error(`no ${locale} SMS text ${key}`);
      return t.replace(/\{(\w+)\}/g, (_, n: string) => vars[n] ?? `{${n}}`);
    },
  };
};
