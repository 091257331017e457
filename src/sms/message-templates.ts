import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SupportedLocale } from '../shared/webhook-edge/supported-locale.js';
import { countSegments } from '../telephony/count-segments.js';
import { classifyKeyword } from './classify-keyword.js';

/**
 * What a template key must be, written in code beside the code that renders it: every variable it
 * takes, each with a worst-case sample value (the longest insurer name, amount or link it may be
 * given), and how many SMS segments its worst-case rendering may cost.
 */
export type TemplateSpec = { vars: Readonly<Record<string, string>>; maxSegments: number };
export type TemplateSpecs<K extends string = string> = Readonly<Record<K, TemplateSpec>>;

export const TEMPLATE_LOCALES: readonly SupportedLocale[] = ['en-US', 'es-US'];

/** A checked template set: renders a key in a locale with every variable of its spec. */
export type MessageTemplates<K extends string = string> = {
  readonly name: string;
  render: (locale: SupportedLocale, key: K, vars: Readonly<Record<string, string>>) => string;
  /** The key rendered with its spec's worst-case samples, overridden by `known` (what is known before sending). */
  worstCase: (locale: SupportedLocale, key: K, known?: Readonly<Record<string, string>>) => string;
};

const PLACEHOLDER = /\{([^{}]*)\}/g;
const VAR_NAME = /^[a-zA-Z][a-zA-Z0-9]*$/;

const fill = (text: string, vars: Readonly<Record<string, string>>): string =>
  text.replace(PLACEHOLDER, (_, n: string) => vars[n] ?? `{${n}}`);

// why: words that tell the customer to send us something; a keyword right after one is asked for.
const REPLY_VERBS = new Set([
  'text', 'txt', 'reply', 'send', 'respond', 'answer', 'message',
  'responde', 'responda', 'envía', 'envia', 'envíe', 'envie', 'escribe', 'escriba', 'manda', 'mande', 'contesta', 'conteste',
]);
const FILLERS = new Set(['with', 'the', 'word', 'con', 'la', 'palabra', 'us', 'nos']);
/** What may follow an asked-for bare opt-out keyword: its one legitimate use, opting out of texts. */
const OPT_OUT_PURPOSE = new RegExp(
  '^\\W*(?:to (?:opt[ -]?out|unsubscribe|end (?:texts|messages)|stop(?: receiving)?(?: (?:texts|messages|alerts))?(?=\\s*(?:[.,;:!)]|$|from\\b)))'
  + '|para (?:no recibir|dejar de recibir|darte de baja|darse de baja|cancelarlos|cancelar (?:los |estos )?(?:mensajes|textos)))',
  'i',
);

type Token = { word: string; start: number; end: number };
const tokens = (text: string): Token[] =>
  [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ word: m[0], start: m.index, end: m.index + m[0].length }));
const isCaps = (w: string) => w.length > 1 && w === w.toUpperCase() && w !== w.toLowerCase();
const quoted = (text: string, t: Token, len: number) => /["'“‘«]/.test(text[t.start - 1] ?? '') && /["'”’»]/.test(text[t.start + len] ?? '');

/**
 * Where `text` asks the customer to text an opt-out keyword (STOP, CANCEL, END, QUIT... as
 * classifyKeyword reads them) for anything but opting out: the offending phrase, or null.
 * A keyword is asked for when written in capitals, quoted, or right after a reply verb ("text",
 * "reply", "responde"...). Asked for, it is fine followed by another word in capitals (the command
 * CANCEL POLICY is not the opt-out CANCEL) or by the purpose of opting out ("to opt out", "to
 * unsubscribe", "to stop receiving texts", "para no recibir..."); anything else would turn a
 * customer's request about their policy into an opt-out, so it is refused. Lowercase prose
 * ("your policy may be cancelled", "to cancel, call us") asks for nothing.
 */
export const optOutKeywordMisuse = (text: string): string | null => {
  const ts = tokens(text);
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    const pair = ts[i + 1] && text.slice(t.end, ts[i + 1]!.start).trim() === '' ? ts[i + 1] : undefined;
    const two = pair && classifyKeyword(`${t.word} ${pair.word}`) === 'opt-out';
    if (!two && classifyKeyword(t.word) !== 'opt-out') continue;
    const last = two ? pair! : t;
    const keyword = text.slice(t.start, last.end);
    let p = i - 1;
    while (p >= 0 && FILLERS.has(ts[p]!.word.toLowerCase())) p--;
    const afterVerb = p >= 0 && REPLY_VERBS.has(ts[p]!.word.toLowerCase());
    const asked = isCaps(keyword.replace(/\s+/g, '')) || quoted(text, t, keyword.length) || afterVerb;
    if (!asked) continue;
    const next = ts[(two ? i + 1 : i) + 1];
    const rest = text.slice(last.end).replace(/^["'”’»]/, '');
    const compound = next && isCaps(next.word) && /^\s+$/.test(text.slice(last.end, next.start));
    if (compound || OPT_OUT_PURPOSE.test(rest)) continue;
    return text.slice(ts[Math.max(p, 0)]!.start, Math.min(text.length, last.end + 30)).trim();
  }
  return null;
};

/** Every problem of one locale's template for `key` against its spec, in words. */
const problemsOf = (text: string, spec: TemplateSpec): string[] => {
  const out: string[] = [];
  const used = new Set<string>();
  for (const m of text.matchAll(PLACEHOLDER)) {
    const n = m[1]!;
    if (!VAR_NAME.test(n)) out.push(`placeholder {${n}} is not a variable name`);
    else if (!Object.hasOwn(spec.vars, n)) out.push(`placeholder {${n}} is not declared (declared: ${Object.keys(spec.vars).join(', ') || 'none'})`);
    else used.add(n);
  }
  if (/[{}]/.test(text.replace(PLACEHOLDER, ''))) out.push('has an unmatched { or }');
  for (const n of Object.keys(spec.vars)) if (!used.has(n)) out.push(`does not use the required variable {${n}}`);
  const worst = countSegments(fill(text, spec.vars));
  if (worst.segments > spec.maxSegments) {
    const why = worst.encoding === 'UCS-2' ? ` (UCS-2 because of ${worst.nonGsm.join(' ')})` : '';
    out.push(`worst-case rendering takes ${worst.segments} segments${why}, over its budget of ${spec.maxSegments}`);
  }
  const misuse = optOutKeywordMisuse(text);
  if (misuse) out.push(`asks the customer to text an opt-out keyword to act on their policy ("${misuse}"); offer a call, a link or a two-word command such as CANCEL POLICY`);
  return out;
};

/**
 * Checks a template set (locale -> key -> text) against its specs: every locale has exactly the
 * spec's keys, every placeholder is declared, every variable is used, the worst-case rendering fits
 * its segment budget, and no template asks for an opt-out keyword (optOutKeywordMisuse). Throws an
 * Error naming the set, and each locale, key and what is wrong; returns the set when it is sound.
 */
export const checkTemplateSet = <K extends string>(
  name: string,
  files: Readonly<Record<SupportedLocale, Readonly<Record<string, string>>>>,
  specs: TemplateSpecs<K>,
): Readonly<Record<SupportedLocale, Readonly<Record<K, string>>>> => {
  const problems: string[] = [];
  const keys = Object.keys(specs) as K[];
  for (const locale of TEMPLATE_LOCALES) {
    const file = files[locale] ?? {};
    for (const k of Object.keys(file)) if (!Object.hasOwn(specs, k)) problems.push(`${locale}.${k}: is not a template key (keys: ${keys.join(', ')})`);
    for (const k of keys) {
      const text = file[k];
      if (text === undefined) problems.push(`${locale}.${k}: is missing`);
      else for (const p of problemsOf(text, specs[k])) problems.push(`${locale}.${k}: ${p}`);
    }
  }
  if (problems.length) throw new Error(`message templates "${name}": ${problems.join('; ')}`);
  return files as Readonly<Record<SupportedLocale, Readonly<Record<K, string>>>>;
};

const fileSchema = z.record(z.string(), z.string().min(1).max(1600));

/** A checked set over its texts: render with every variable, or a programming error naming the missing one. */
export const createMessageTemplates = <K extends string>(
  name: string,
  texts: Readonly<Record<SupportedLocale, Readonly<Record<K, string>>>>,
  specs: TemplateSpecs<K>,
): MessageTemplates<K> => ({
  name,
  render: (locale, key, vars) => {
    for (const n of Object.keys(specs[key].vars)) {
      if (vars[n] === undefined) throw new Error(`message templates "${name}": ${locale}.${key} rendered without {${n}}`);
    }
    return fill(texts[locale][key], vars);
  },
  worstCase: (locale, key, known = {}) => fill(texts[locale][key], { ...specs[key].vars, ...known }),
});

/**
 * Reads `<dir>/<locale>.json` for every locale (a JSON object of key -> text with `{variable}`
 * placeholders) and checks it (checkTemplateSet). Meant to run when a process starts: a bad
 * template stops the start with an Error naming the file set, the locale, the key and the problem.
 */
export const loadMessageTemplates = <K extends string>(o: { name: string; dir: string; specs: TemplateSpecs<K> }): MessageTemplates<K> => {
  const files = {} as Record<SupportedLocale, Record<string, string>>;
  for (const locale of TEMPLATE_LOCALES) {
    const file = path.join(o.dir, `${locale}.json`);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`message templates "${o.name}": ${file}: ${err instanceof SyntaxError ? `is not JSON (${err.message})` : `cannot be read (${(err as Error).message})`}`, { cause: err });
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new Error(`message templates "${o.name}": ${locale}.${issue.path.join('.') || '(file)'}: ${issue.message}`);
    }
    files[locale] = parsed.data;
  }
  return createMessageTemplates(o.name, checkTemplateSet(o.name, files, o.specs), o.specs);
};
