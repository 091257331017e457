import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paymentRenderers } from './render-payment.js';
import { attrs, due, renderWith, verbs } from './test-support/render-fixture.js';

describe('payment renderers', () => {
  test('chooseCard tells the amount and offers the card on file by brand and last four', () => {
    const r = renderWith(paymentRenderers, 'chooseCard', { due: due() });
    assert.match(r.said[0]!, /^Your premium of \$118\.20 is due/);
    assert.match(r.said[1]!, /^To pay with your Visa card ending in 4, 2, 4, 2, press 1\./);
    assert.deepEqual(r.gather, { expect: 'card-choice', input: 'dtmf', numDigits: 1 });
  });

  test('captureCard hands the card to <Pay> to tokenize only, never charging there', () => {
    const r = renderWith(paymentRenderers, 'captureCard', { due: due({ cardOnFile: null }), locale: 'es-US' });
    assert.equal(r.said.length, 2);
    assert.match(r.said[1]!, /118/);
    assert.deepEqual(r.gather, { expect: 'pay', input: 'pay' });
    const pay = attrs(r.twiml, 'Pay');
    assert.equal(pay.chargeAmount, '0');
    assert.equal(pay.tokenType, 'payment-method');
    assert.equal(pay.paymentConnector, 'Stripe_Connector');
    assert.equal(pay.language, 'es-MX');
    assert.equal(pay.action, '/turn?step=4&expect=pay');
    assert.equal(pay.statusCallback, '/pay-status');
    assert.deepEqual(verbs(r.twiml), ['Response', 'Say', 'Say', 'Pay']);
  });

  test('cardNotCaptured offers another try by one key', () => {
    const r = renderWith(paymentRenderers, 'cardNotCaptured', { due: due() });
    assert.deepEqual(r.said, ['We could not take that card. To try again, press 1. To speak with a specialist, press 0. To return to the main menu, press 9.']);
    assert.deepEqual(r.gather, { expect: 'retry-card', input: 'dtmf', numDigits: 1 });
  });

  test('paymentProcessing and paymentWaiting hold briefly, then ask for the payment status; nothing is gathered', () => {
    const first = renderWith(paymentRenderers, 'paymentProcessing', { due: due() });
    assert.deepEqual(first.said, ['Please hold while we process your payment.']);
    assert.equal(first.gather, null);
    assert.deepEqual(verbs(first.twiml), ['Response', 'Say', 'Pause', 'Redirect']);
    assert.match(first.twiml, /<Pause length="2"\/><Redirect method="POST">\/turn\?step=4&amp;expect=payment-status<\/Redirect>/);
    const again = renderWith(paymentRenderers, 'paymentWaiting', { due: due(), paymentWaits: 2 });
    assert.deepEqual(again.said, ['Thank you for waiting.']);
    assert.equal(again.state, 'paymentWaiting');
  });

  test('paymentConfirmed says the amount and spells the confirmation number', () => {
    const r = renderWith(paymentRenderers, 'paymentConfirmed', { due: due(), confirmation: 'AB12' });
    assert.match(r.said[0]!, /^Thank you\. Your payment of \$118\.20 was received\. Your confirmation number is A, B, 1, 2\./);
    assert.match(r.said[1]!, /To hear your confirmation number again, press 1/);
    assert.deepEqual(r.gather, { expect: 'confirmation', input: 'dtmf', numDigits: 1 });
  });

  test('paymentDeclined says why in words a caller can act on, and listens for a person', () => {
    const r = renderWith(paymentRenderers, 'paymentDeclined', { due: due(), declineReason: 'never-retry' });
    assert.equal(r.said[0], 'Sorry, your payment did not go through. The bank declined this card. Please use a different card.');
    assert.deepEqual(r.gather, { expect: 'declined', input: 'dtmf speech', numDigits: 1 });
    const unknown = renderWith(paymentRenderers, 'paymentDeclined', { due: due() });
    assert.equal(unknown.said[0], 'Sorry, your payment did not go through. The payment could not be completed.');
  });
});
