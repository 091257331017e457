import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseConsentedNumber } from './choose-consented-number.js';

test('the number in use first, whatever order the numbers come in; another consented number only when it may not be texted', () => {
  const other = { to: '+12025550119', consent: 'granted' as const, inUse: false };
  const caller = { to: '+12025550143', consent: 'granted' as const, inUse: true };
  assert.deepEqual(chooseConsentedNumber([other, caller]).to, '+12025550143');
  const fallback = chooseConsentedNumber([{ ...caller, consent: 'opted-out' }, other]);
  assert.deepEqual([fallback.to, fallback.basis], ['+12025550119', 'other-number']);
  assert.match(fallback.reason, /\+12025550143 opted out of texts/);
});

test('a withheld caller ID (no number in use) falls back to the holder\'s numbers; none sendable says so', () => {
  const r = chooseConsentedNumber([{ to: '+12025550119', consent: 'granted', inUse: false }]);
  assert.deepEqual([r.to, r.basis], ['+12025550119', 'other-number']);
  assert.match(r.reason, /number in use is unknown/);
  const none = chooseConsentedNumber([]);
  assert.deepEqual([none.to, none.basis, none.checked], [null, 'none', []]);
  assert.match(none.reason, /no phone number/);
});
