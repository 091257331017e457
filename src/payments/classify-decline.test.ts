import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyDecline } from './classify-decline.js';

const cls = (s: Parameters<typeof classifyDecline>[0]) => classifyDecline(s).class;

test('hard declines are never retried: lost, stolen, pickup, incorrect number, revoked, not allowed, fraud', () => {
  for (const declineCode of [
    'lost_card', 'stolen_card', 'pickup_card', 'incorrect_number', 'revocation_of_authorization',
    'revocation_of_all_authorizations', 'transaction_not_allowed', 'fraudulent', 'highest_risk_level',
  ]) {
    assert.equal(cls({ code: 'card_declined', declineCode }), 'never-retry', declineCode);
  }
});

test('customer-must-act declines need new details: expired, CVC, authentication', () => {
  assert.equal(cls({ code: 'expired_card', declineCode: 'expired_card' }), 'new-details');
  assert.equal(cls({ code: 'incorrect_cvc', declineCode: 'incorrect_cvc' }), 'new-details');
  assert.equal(cls({ code: 'authentication_required', declineCode: 'authentication_required' }), 'new-details');
  assert.equal(cls({ code: 'card_declined', declineCode: 'call_issuer' }), 'new-details');
});

test('calendar and transient declines are retried later', () => {
  assert.equal(cls({ code: 'card_declined', declineCode: 'insufficient_funds' }), 'retry-later');
  assert.equal(cls({ code: 'processing_error', declineCode: 'processing_error' }), 'retry-later');
  assert.equal(cls({ code: 'card_declined', declineCode: 'generic_decline' }), 'retry-later');
  assert.equal(cls({ code: 'card_declined', declineCode: 'issuer_not_available' }), 'retry-later');
});

test('advice code decides first, whatever the decline code says', () => {
  const v = classifyDecline({ code: 'card_declined', declineCode: 'insufficient_funds', adviceCode: 'do_not_try_again' });
  assert.equal(v.class, 'never-retry');
  assert.equal(v.basis, 'advice_code=do_not_try_again');
  assert.match(v.reason, /insufficient funds/, 'the bank reason is kept for the specialist');
  assert.equal(cls({ declineCode: 'lost_card', adviceCode: 'try_again_later' }), 'retry-later');
  assert.equal(cls({ declineCode: 'generic_decline', adviceCode: 'confirm_card_data' }), 'new-details');
});

test('Mastercard merchant advice 03 and 21 stop retries; 01 asks for new details', () => {
  assert.equal(cls({ declineCode: 'generic_decline', networkAdviceCode: '03' }), 'never-retry');
  assert.equal(cls({ declineCode: 'generic_decline', networkAdviceCode: '21' }), 'never-retry');
  assert.equal(cls({ declineCode: 'insufficient_funds', networkAdviceCode: '01' }), 'new-details');
});

test('a generic decline does not hide a hard network code; the most severe signal wins', () => {
  const v = classifyDecline({ code: 'card_declined', declineCode: 'generic_decline', networkDeclineCode: '43' });
  assert.equal(v.class, 'never-retry');
  assert.equal(v.basis, 'network_decline_code=43');
  assert.equal(cls({ code: 'card_declined', networkDeclineCode: '54' }), 'new-details');
  assert.equal(cls({ code: 'card_declined', networkDeclineCode: 'r1' }), 'never-retry');
  assert.equal(cls({ code: 'card_declined', networkDeclineCode: '51' }), 'retry-later');
});

test('do_not_honor is configurable; unknown codes are retried later with a plain reason', () => {
  assert.equal(cls({ declineCode: 'do_not_honor' }), 'retry-later');
  assert.equal(classifyDecline({ declineCode: 'do_not_honor' }, { doNotHonor: 'never-retry' }).class, 'never-retry');
  const v = classifyDecline({ code: 'something_new' });
  assert.equal(v.class, 'retry-later');
  assert.equal(v.basis, 'unrecognised');
  assert.equal(classifyDecline({}).class, 'retry-later');
});

test('reasons are plain words and keep fraud wording away from the customer', () => {
  const v = classifyDecline({ declineCode: 'stolen_card' });
  assert.match(v.reason, /different card/);
  assert.match(v.reason, /only that the card was declined/);
  assert.doesNotMatch(v.reason, /_/);
});
