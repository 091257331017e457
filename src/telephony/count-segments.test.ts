import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { countSegments } from './count-segments.js';

test('plain English: GSM-7, one segment up to 160 characters, 153 per part after', () => {
  assert.deepEqual(countSegments('a'.repeat(160)), { encoding: 'GSM-7', segments: 1, nonGsm: [] });
  assert.equal(countSegments('a'.repeat(161)).segments, 2);
  assert.equal(countSegments('a'.repeat(306)).segments, 2);
  assert.equal(countSegments('a'.repeat(307)).segments, 3);
});

test('extension characters count twice: 80 euro signs fill one segment, 81 need two', () => {
  assert.deepEqual(countSegments('€'.repeat(80)), { encoding: 'GSM-7', segments: 1, nonGsm: [] });
  assert.equal(countSegments('€'.repeat(81)).segments, 2);
});

test('Spanish: é and ñ stay GSM-7, á í ó ú make the text UCS-2 (70, then 67 per part)', () => {
  assert.equal(countSegments('Gracias, señor. Café.').encoding, 'GSM-7');
  const s = countSegments('Su póliza está al día.');
  assert.equal(s.encoding, 'UCS-2');
  assert.deepEqual(new Set(s.nonGsm), new Set(['ó', 'á', 'í']));
  assert.equal(countSegments('ó'.repeat(70)).segments, 1);
  assert.equal(countSegments('ó'.repeat(71)).segments, 2);
});

test('emoji take two UTF-16 units and are never split across parts', () => {
  assert.equal(countSegments('Thanks 👍').encoding, 'UCS-2');
  assert.equal(countSegments('👍'.repeat(35)).segments, 1, '70 units in one segment');
  assert.equal(countSegments('👍'.repeat(36)).segments, 2);
  // 33 emoji fill 66 of a part's 67 units: the 34th does not fit in the remaining unit.
  assert.equal(countSegments('👍'.repeat(67)).segments, 3);
  assert.equal(countSegments('ü😀' + 'a'.repeat(70)).segments, 2, 'one emoji makes a 72-character text two segments');
});

test('our own receipt and opt-out texts fit in one segment each (English) and the Spanish ones are counted as sent', () => {
  const receipt = 'Harbor Mutual: payment of $124.50 received for policy HM-100234. Confirmation number 48213975. Thank you! Reply STOP to opt out.';
  assert.deepEqual(countSegments(receipt), { encoding: 'GSM-7', segments: 1, nonGsm: [] });
  assert.equal(countSegments('Harbor Mutual: ya no recibirá mensajes de texto. Responda START para reanudarlos. Para su póliza, llámenos en cualquier momento.').encoding, 'UCS-2');
});

test('the plain GSM-7 shortcut counts as Twilio’s calculator does', () => {
  const alphabet = 'aZ09 !"#$%&\'()*+,-./:;<=>?@_ñÑéÉüÜ¡¿'.split('');
  fc.assert(fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 480, size: 'max' }).map((cs) => cs.join('')), (text) => {
    const m = new SegmentedMessage(text, 'auto');
    assert.deepEqual(countSegments(text), { encoding: 'GSM-7', segments: text === '' ? 1 : m.segmentsCount, nonGsm: [] });
    assert.equal(m.encodingName, 'GSM-7');
  }), { numRuns: 2_000, seed: 20261203 });
});
