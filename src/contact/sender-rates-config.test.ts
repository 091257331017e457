import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_SENDER_RATES, parseSenderRates } from './sender-rates-config.js';

test('an empty configuration is the default: long code 1, toll-free 3, short code 100 segments/s, no overrides', () => {
  assert.deepEqual(parseSenderRates({}), DEFAULT_SENDER_RATES);
  assert.deepEqual(DEFAULT_SENDER_RATES, { segmentsPerSecond: { 'long-code': 1, 'toll-free': 3, 'short-code': 100 }, perSender: {} });
});

test('a class left out keeps its default; fractions and per-sender overrides are taken', () => {
  const rates = parseSenderRates({ segmentsPerSecond: { 'long-code': 0.5 }, perSender: { '+18005550100': 10_000, '898211': 30 } });
  assert.deepEqual(rates, {
    segmentsPerSecond: { 'long-code': 0.5, 'toll-free': 3, 'short-code': 100 },
    perSender: { '+18005550100': 10_000, '898211': 30 },
  });
});

test('a bad configuration is refused with the field path, the value and what is wrong', () => {
  const refused = (json: unknown, message: string) => assert.throws(() => parseSenderRates(json), { message: `sender rates: ${message}` });
  refused({ segmentsPerSecond: { 'toll-free': 0 } }, 'segmentsPerSecond.toll-free: 0 is not above 0');
  refused({ segmentsPerSecond: { 'short-code': 10_001, 'long-code': -1 } }, 'segmentsPerSecond.long-code: -1 is not above 0; segmentsPerSecond.short-code: 10001 is more than 10000');
  refused({ segmentsPerSecond: { 'long-code': '1' } }, 'segmentsPerSecond.long-code: "1" is not a number');
  refused({ segmentsPerSecond: { longCode: 1 } }, 'segmentsPerSecond: unknown field "longCode"');
  refused({ segmentsPerSecond: 3 }, 'segmentsPerSecond: 3 is not an object');
  refused({ perSender: { '+15551230000': 0, '+18885550100': null } }, 'perSender."+15551230000": 0 is not above 0; perSender."+18885550100": null is not a number');
  refused({ perSender: { '12345': 'fast' } }, 'perSender."12345": "fast" is not a number');
  refused(
    { perSender: { '15551230000': 1 } },
    'perSender."15551230000": "15551230000" is not a sender (an E.164 number like +18005550100, or a 3 to 8 digit short code)',
  );
  refused({ perSender: [] }, 'perSender: [] is not an object');
  refused({ rates: {} }, '(top level): unknown field "rates"');
  refused(null, '(top level): null is not an object');
});
