import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadPromptCatalog } from './prompts/prompt-catalog.js';
import { readPolicyNumber } from './read-policy-number.js';

const prompts = loadPromptCatalog();
const en = prompts.speech('en-US');
const es = prompts.speech('es-US');

test('a policy number as people say it, in English', () => {
  for (const said of [
    'HM-A-200874', 'H M A 200874', 'HMA 200874', 'h.m.a. 200874', 'HMA 200,874', 'H M dash A dash 200874',
    'HM hyphen A hyphen 2 0 0 8 7 4', 'H M A two zero zero eight seven four', 'h m a two oh oh eight seven four',
    'HMA 2 double 0 874', 'HMA two double zero eight seven four', 'my policy number is HMA 200874',
  ]) {
    assert.equal(readPolicyNumber(said, en), 'HMA200874', said);
  }
  assert.equal(readPolicyNumber('double seven', en), '77');
  assert.equal(readPolicyNumber('triple 0', en), '000');
});

test('a policy number as people say it, in Spanish', () => {
  assert.equal(readPolicyNumber('H M guion L guion uno cero cero cinco ocho siete', es), 'HML100587');
  assert.equal(readPolicyNumber('mi número de póliza es HM L 100587', es), 'HML100587');
  assert.equal(readPolicyNumber('hm l uno doble cero cinco ocho siete', es), 'HML100587');
});

test('keyed digits pass through', () => {
  assert.equal(readPolicyNumber('200874', en), '200874');
  assert.equal(readPolicyNumber('', en), '');
});
