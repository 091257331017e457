import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkTemplateSet, loadMessageTemplates, optOutKeywordMisuse, type TemplateSpecs } from './message-templates.js';

const SPECS: TemplateSpecs<'due' | 'hello'> = {
  due: { vars: { insurer: 'I'.repeat(40), amount: '$12,345.67' }, maxSegments: 2 },
  hello: { vars: {}, maxSegments: 1 },
};
const good = {
  'en-US': { due: '{insurer}: {amount} is due. Reply STOP to opt out.', hello: 'Hello.' },
  'es-US': { due: '{insurer}: vence {amount}. Responde STOP para no recibir mensajes.', hello: 'Hola.' },
};
const withText = (locale: 'en-US' | 'es-US', key: string, text: string | undefined) => {
  const files = structuredClone(good) as Record<string, Record<string, string>>;
  if (text === undefined) delete files[locale]![key];
  else files[locale]![key] = text;
  return files as typeof good;
};
const errorOf = (files: typeof good): string => {
  try {
    checkTemplateSet('notices', files, SPECS);
  } catch (err) {
    return (err as Error).message;
  }
  assert.fail('the set was accepted');
};

test('a sound set is accepted', () => {
  assert.doesNotThrow(() => checkTemplateSet('notices', good, SPECS));
});

test('every locale has exactly the spec’s keys: a missing and an extra key are named with their locale', () => {
  assert.match(errorOf(withText('es-US', 'hello', undefined)), /message templates "notices": es-US\.hello: is missing/);
  assert.match(errorOf(withText('en-US', 'bye', 'Bye.')), /en-US\.bye: is not a template key/);
});

test('every placeholder is declared, and well formed', () => {
  assert.match(errorOf(withText('en-US', 'due', '{insurer}: {amount} for {policy}.')), /en-US\.due: placeholder \{policy\} is not declared/);
  assert.match(errorOf(withText('en-US', 'due', '{insurer}: {amount} {}.')), /placeholder \{\} is not a variable name/);
  assert.match(errorOf(withText('en-US', 'due', '{insurer}: {amount} {oops.')), /unmatched \{ or \}/);
});

test('every required variable is used', () => {
  assert.match(errorOf(withText('es-US', 'due', '{insurer}: su prima vence pronto.')), /es-US\.due: does not use the required variable \{amount\}/);
});

test('the worst-case rendering must fit the segment budget, UCS-2 named when it is the cause', () => {
  const long = `{insurer}: {amount} is due. ${'x'.repeat(250)}`;
  assert.match(errorOf(withText('en-US', 'due', long)), /en-US\.due: worst-case rendering takes 3 segments, over its budget of 2/);
  // 90 characters are one GSM-7 segment but two in UCS-2 (ó is not GSM-7).
  assert.match(errorOf(withText('es-US', 'hello', `Canción ${'a'.repeat(80)}`)), /es-US\.hello: worst-case rendering takes 2 segments \(UCS-2 because of ó\), over its budget of 1/);
});

test('opt-out keywords: STOP to opt out is fine; a bare keyword asked for to act on a policy is refused', () => {
  const ok = [
    'Reply STOP to opt out.',
    'Reply HELP for help, STOP to opt out.',
    'Text STOP to unsubscribe',
    'Reply STOP to stop receiving texts from us.',
    'Reply STOP to stop.',
    'Responde STOP para no recibir mensajes.',
    'Responde PARAR para dejar de recibir textos.',
    'Responda STOP para cancelarlos.',
    'To cancel your policy, text CANCEL POLICY or call us.',
    'Your policy may be cancelled on Dec 5. To cancel, call us.',
    'Stop by any office.',
    'It will end on Dec 5.',
  ];
  for (const text of ok) assert.equal(optOutKeywordMisuse(text), null, text);
  const refused = [
    'Text CANCEL to cancel your policy.',
    'Reply cancel to cancel your policy.',
    'Reply STOP to stop your payments.',
    'Reply "stop" if you no longer want coverage.',
    'Reply with END to end your policy.',
    'Responde ALTO para cancelar tu póliza.',
    'Envía ALTO si quieres cancelar.',
    'Reply OPT OUT to drop paperless billing.',
    'Reply QUIT.',
  ];
  for (const text of refused) assert.ok(optOutKeywordMisuse(text), text);
  assert.match(errorOf(withText('en-US', 'hello', 'Text CANCEL to cancel your policy.')), /en-US\.hello: asks the customer to text an opt-out keyword to act on their policy \("Text CANCEL to cancel your pol/);
});

test('loading reads one JSON file per locale and refuses a bad file, naming it', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'templates-'));
  for (const [locale, texts] of Object.entries(good)) writeFileSync(path.join(dir, `${locale}.json`), JSON.stringify(texts));
  const t = loadMessageTemplates({ name: 'notices', dir, specs: SPECS });
  assert.equal(t.render('es-US', 'due', { insurer: 'Harbor Mutual', amount: '$1.00' }), 'Harbor Mutual: vence $1.00. Responde STOP para no recibir mensajes.');
  assert.throws(() => t.render('en-US', 'due', { insurer: 'X' }), /rendered without \{amount\}/);
  assert.equal(t.worstCase('en-US', 'due', { amount: '$1.00' }), `${'I'.repeat(40)}: $1.00 is due. Reply STOP to opt out.`);
  writeFileSync(path.join(dir, 'es-US.json'), '{"due": 3}');
  assert.throws(() => loadMessageTemplates({ name: 'notices', dir, specs: SPECS }), /message templates "notices": es-US\.due: /);
  writeFileSync(path.join(dir, 'es-US.json'), '{');
  assert.throws(() => loadMessageTemplates({ name: 'notices', dir, specs: SPECS }), /es-US\.json: is not JSON/);
});
