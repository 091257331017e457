import assert from 'node:assert/strict';
import { test } from 'node:test';
import { holdsMaskedCard, maskCardNumbers, redactParams } from './redact.js';

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

test('card numbers keyed, said in numerals or words (English, Spanish), or glued to an expiry date are masked', () => {
  const cases: [string, string][] = [
    ['4111111111111111', '[pan:1111]'],
    ['4111111111111111*', '[pan:1111]*'],
    ['4111 1111 1111 1111', '[pan:1111]'],
    ['4111.1111.1111.1111', '[pan:1111]'],
    ['my card is four one one one one one one one one one one one one one one one ok', 'my card is [pan:1111] ok'],
    ['Four, One, One, One, 1111 1111 one one one one.', '[pan:1111].'],
    ['cuatro uno uno uno uno uno uno uno uno uno uno uno uno uno uno uno', '[pan:1111]'],
    ['378282246310005', '[pan:0005]'],
    // A number keyed with its expiry date and code: the whole run goes.
    ['41111111111111111230123', '[pan:1111]'],
    // Texted with its code or expiry date after a space or dash.
    ['4111 1111 1111 1111 123', '[pan:1111]'],
    ['4111111111111111 12/29', '[pan:1111]/29'],
    ['card 4111-1111-1111-1111-1229', 'card [pan:1111]'],
  ];
  for (const [input, masked] of cases) {
    assert.equal(maskCardNumbers(input), masked, input);
    assert.ok(holdsMaskedCard(maskCardNumbers(input)), input);
  }
});

test('what callers and providers legitimately send survives', () => {
  for (const s of [
    'HM-A-200874', '200874', '20500', '19800412', '1', '0', '9#', '+14155550143', '+1 415 555 0143', '14155550143',
    `CA${'4111111111111111'.padEnd(32, 'a')}`, 'pi_4111111111111111', '2026-11-23T10:00:00.000Z', 'Mon, 23 Nov 2026 10:00:00 +0000',
    'one policy, two cars', 'I want to pay $124.50 for policy H M 7 0 0 0 0 1', '4111111111111112', 'someone one',
  ]) {
    assert.equal(maskCardNumbers(s), s, s);
  }
});

test('ids are never masked: UUIDs whose all-digit groups, dash-joined, pass the Luhn check stay whole, beside a card that is masked', () => {
  const digits = (n: number, seed: number) => Array.from({ length: n }, (_, i) => String((seed * 7919 + i * 104729) % 10)).join('');
  let lookalikes = 0;
  for (let k = 0; k < 2000; k++) {
    const id = `0193ab${digits(2, k)}-${digits(4, k + 1)}-${digits(4, k + 2)}-${digits(4, k + 3)}-${digits(12, k + 4)}`;
    if (maskCardNumbers(`x ${id.split('-').slice(1).join(' ')} y`) !== `x ${id.split('-').slice(1).join(' ')} y`) lookalikes++;
    assert.equal(maskCardNumbers(id), id);
    assert.equal(maskCardNumbers(`attempt ${id} paid with 4111 1111 1111 1111`), `attempt ${id} paid with [pan:1111]`);
  }
  assert.ok(lookalikes > 20, `the generator must make ids whose digits alone would be masked (${lookalikes})`);
});
