import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Locale } from '../../flows/inbound-call.machine.js';

/**
 * Per-locale IVR wording, kept in JSON message files (not code) and validated
 * at start: every locale must define every key with the same placeholders,
 * so a missing Spanish prompt fails the boot, not a live call.
 */
const fileSchema = z.object({
  voice: z.object({ language: z.string().min(2), voice: z.string().min(1) }),
  messages: z.record(z.string(), z.string().min(1).max(3000)),
  speech: z.record(z.string(), z.array(z.string().min(1)).min(1)),
});

export type LocaleFile = z.infer<typeof fileSchema>;
export type PromptCatalog = {
  locales: readonly Locale[];
  voice: (locale: Locale) => LocaleFile['voice'];
  /** Fills `{placeholders}`; throws on a key or value missing, which tests catch. */
  text: (locale: Locale, key: string, vars?: Record<string, string | number>) => string;
  speech: (locale: Locale) => LocaleFile['speech'];
};

export const LOCALES: readonly Locale[] = ['en-US', 'es-US'];
const DIR = path.dirname(fileURLToPath(import.meta.url));

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

export const validateCatalog = (files: Record<string, unknown>): Record<Locale, LocaleFile> => {
  const parsed = {} as Record<Locale, LocaleFile>;
  const problems: string[] = [];
  for (const locale of LOCALES) {
    const r = fileSchema.safeParse(files[locale]);
    if (!r.success) problems.push(`${locale}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
    else parsed[locale] = r.data;
  }
  if (problems.length === 0) {
    const base = parsed[LOCALES[0]!];
    for (const locale of LOCALES.slice(1)) {
      const other = parsed[locale];
      for (const key of Object.keys(base.messages)) {
        const v = other.messages[key];
        if (v === undefined) problems.push(`${locale}: missing message ${key}`);
        else if (placeholders(v) !== placeholders(base.messages[key]!)) problems.push(`${locale}: ${key} has other placeholders`);
      }
      for (const key of Object.keys(other.messages)) {
        if (!(key in base.messages)) problems.push(`${locale}: message ${key} is not in ${LOCALES[0]}`);
      }
      for (const key of Object.keys(base.speech)) if (!other.speech[key]) problems.push(`${locale}: missing speech ${key}`);
    }
  }
  if (problems.length) throw new Error(`IVR prompt files are invalid:\n  ${problems.join('\n  ')}`);
  return parsed;
};

export const loadPromptCatalog = (dir = DIR): PromptCatalog => {
  const files: Record<string, unknown> = {};
  for (const locale of LOCALES) files[locale] = JSON.parse(readFileSync(path.join(dir, `${locale}.json`), 'utf8'));
  const cat = validateCatalog(files);
  return {
    locales: LOCALES,
    voice: (locale) => cat[locale].voice,
    speech: (locale) => cat[locale].speech,
    text: (locale, key, vars = {}) => {
      const template = cat[locale].messages[key];
      if (template === undefined) throw new Error(`no ${locale} prompt ${key}`);
      return template.replace(/\{(\w+)\}/g, (_, name: string) => {
        const v = vars[name];
        if (v === undefined) throw new Error(`prompt ${key} needs {${name}}`);
        return String(v);
      });
    },
  };
};
