import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ScreenPop } from './build-screen-pop.js';
import { whisperText } from './whisper-text.js';

const pop = (o: Partial<ScreenPop> = {}): ScreenPop => ({
  transferId: 't', kind: 'transfer', status: 'ringing', requestedAt: '2026-12-03T15:00:00Z', priority: false, locale: 'en-US',
  caller: { phone: '+12025550100', name: 'Robin Diaz' },
  policy: { policyNumber: 'HM-1', product: 'auto', coverageTier: 'standard', premiumCents: 12_450, currency: 'USD', billingFrequency: 'monthly', status: 'active', sumInsuredCents: 2_500_000, complaintOpen: false },
  reason: 'cancel', cancelReason: 'too-expensive', offersMade: [], offersDeclined: ['downgrade-tier', 'move-date'],
  premiumHistory: [], thisCall: [], paymentFailures: [{ reason: 'Your card was declined.' } as ScreenPop['paymentFailures'][number]], ...o,
});

describe('whisperText', () => {
  test('a transfer: who, policy, price, why, what was declined, the last failure, and the keys', () => {
    assert.equal(whisperText(pop(), 'Harbor Mutual'),
      'Harbor Mutual transfer. Robin Diaz policy H M - 1, auto standard, $124.50 monthly. The caller wants to cancel: it costs too much. '
      + 'Declined a lower tier and a new payment date. 1 failed payment, the last: Your card was declined. Press 1 to accept, or 2 to decline.');
  });

  test('a callback says so, speaks of the customer, and pressing 1 calls them', () => {
    const said = whisperText(pop({ kind: 'callback', locale: 'es-US', offersDeclined: [], paymentFailures: [] }), 'Harbor Mutual');
    assert.equal(said, 'Harbor Mutual callback. Robin Diaz policy H M - 1, auto standard, $124.50 monthly. The customer wants to cancel: it costs too much. '
      + 'The customer speaks Spanish. Press 1 to call them now, or 2 to decline.');
  });

  test('an unknown customer of a callback without a policy', () => {
    const said = whisperText(pop({ kind: 'callback', caller: { phone: '+12025550100', name: null }, policy: null, reason: 'asked', cancelReason: null, offersDeclined: [], paymentFailures: [] }), 'Harbor Mutual');
    assert.equal(said, 'Harbor Mutual callback. A customer we could not identify. The customer asked for a specialist. Press 1 to call them now, or 2 to decline.');
  });
});
