import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toE164 } from './to-e164.js';

test('caller IDs in E.164, whatever their format; withheld, SIP and malformed ones are null, asked once or many times', () => {
  for (let round = 0; round < 2; round++) {
    assert.equal(toE164('+12025550143'), '+12025550143');
    assert.equal(toE164('(202) 555-0143'), '+12025550143');
    assert.equal(toE164('+442071838750'), '+442071838750');
    assert.equal(toE164('anonymous'), null);
    assert.equal(toE164('+266696687'), null);
    assert.equal(toE164('sip:alice@example.com'), null);
    assert.equal(toE164('+1202'), null);
  }
});
