import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cleanText, cleanValue, type RefusedText } from './clean-text.js';

test('NUL is dropped and a lone surrogate becomes U+FFFD; pairs, accents and emoji pass unchanged', () => {
  assert.equal(cleanText('+1202\u00005550143'), '+12025550143');
  assert.equal(cleanText('a\uD800b'), 'a\uFFFDb');
  assert.equal(cleanText('a\uDC00b'), 'a\uFFFDb');
  assert.equal(cleanText('\uDC00\uD800'), '\uFFFD\uFFFD', 'a low then a high surrogate is two lone ones');
  for (const ok of ['María José', 'pay 😀', '\u202Eabc', 'ü\u0301', '']) assert.equal(cleanText(ok), ok);
});

test('cleaning a decoded body names each refused unit, escaped, by field and offset, and keeps clean objects as they are', () => {
  const refused: RefusedText[] = [];
  const body = { From: '+1202\u0000555', Body: ['ok', 'x\uD83D'], 'Ke\u0000y': 'v', Clean: 'yes' };
  const out = cleanValue(body, 'body', refused) as Record<string, unknown>;
  assert.deepEqual(out, { From: '+1202555', Body: ['ok', 'x\uFFFD'], Key: 'v', Clean: 'yes' });
  assert.deepEqual(refused, [
    { field: 'body.From', refused: [{ unit: '\\u0000', at: 5 }] },
    { field: 'body.Body[1]', refused: [{ unit: '\\ud83d', at: 1 }] },
    { field: 'body.Ke\\u0000y', refused: [{ unit: '\\u0000', at: 2 }] },
  ]);
  assert.equal(JSON.stringify(refused).includes('\u0000'), false, 'the record itself is clean text');
  const clean = { a: 'b', c: ['d'] };
  assert.equal(cleanValue(clean, 'body', []), clean);
});
