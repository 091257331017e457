import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyKeyword } from './classify-keyword.js';

test('opt-out words in any case and with punctuation are opt-outs', () => {
  for (const w of ['STOP', 'stop', ' Stop. ', 'STOPALL', 'unsubscribe', 'CANCEL', 'end', 'Quit!', 'REVOKE', 'opt out', 'OPTOUT']) {
    assert.equal(classifyKeyword(w), 'opt-out', w);
  }
});

test('opt-in and help words', () => {
  for (const w of ['START', 'unstop', 'Yes']) assert.equal(classifyKeyword(w), 'opt-in', w);
  for (const w of ['HELP', 'info']) assert.equal(classifyKeyword(w), 'help', w);
});

test('"CANCEL POLICY" and ordinary sentences are not keywords', () => {
  for (const w of ['CANCEL POLICY', 'please stop calling me at work tomorrow', 'PAY', '', 'stopped']) {
    assert.equal(classifyKeyword(w), null, w);
  }
});
