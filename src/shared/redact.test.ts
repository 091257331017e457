import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redactParams } from './redact.js';

test('card numbers in free text are masked, keeping the last four', () => {
  const out = redactParams({ Body: 'my card is 4242 4242 4242 4242 thanks' });
  assert.equal(out.Body, 'my card is [pan:4242] thanks');
});

test('provider ids, phone numbers and non-Luhn digit runs survive', () => {
  const sid = 'CA4242424242424242aaaaaaaaaaaaaaaa';
  const out = redactParams({ CallSid: sid, From: '+441234567890', Ref: '123456789012' });
  assert.deepEqual(out, { CallSid: sid, From: '+441234567890', Ref: '123456789012' });
});

test('secret and card fields are masked whatever their case, and extra keys on request', () => {
  const out = redactParams(
    { PaymentToken: 'tok_1', SecurityCode: '123', AuthToken: 'x', Digits: '19700101', Nested: { cvc: '1' } },
    new Set(['digits']),
  );
  assert.deepEqual(out, {
    PaymentToken: '[redacted]',
    SecurityCode: '[redacted]',
    AuthToken: '[redacted]',
    Digits: '[redacted]',
    Nested: { cvc: '[redacted]' },
  });
});
