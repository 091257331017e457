import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { identifyRenderers } from './render-identify.js';
import { attrs, caller, renderWith, verbs } from './test-support/render-fixture.js';

const unknown = { identified: null, byCallerId: false };

describe('identification renderers', () => {
  test('askPolicyNumber welcomes once, asks for the number keyed or spoken (ending with #), and offers Spanish', () => {
    const r = renderWith(identifyRenderers, 'askPolicyNumber', unknown);
    assert.deepEqual(r.said, [
      'Thank you for calling Harbor Mutual.',
      'Please enter your policy number on your keypad, or say it, then press pound.',
      'Para español, oprima ocho.',
    ]);
    assert.deepEqual(r.gather, { expect: 'policy-number', input: 'dtmf speech' });
    const g = attrs(r.twiml, 'Gather');
    assert.equal(g.finishOnKey, '#');
    assert.equal(g.timeout, '8');
    assert.equal(g.action, '/turn?step=4&expect=policy-number');
    assert.match(g.hints!, /agent.*spanish/);
    assert.deepEqual(verbs(r.twiml), ['Response', 'Say', 'Gather', 'Say', 'Say', 'Redirect']);
    assert.match(r.twiml, /<Redirect method="POST">\/turn\?step=4&amp;expect=policy-number&amp;noinput=1<\/Redirect>/);
    assert.equal(r.state, 'askPolicyNumber');
    assert.equal(r.locale, 'en-US');
  });

  test('askPolicyNumber after a miss says why instead of the welcome', () => {
    const r = renderWith(identifyRenderers, 'askPolicyNumber', { ...unknown, attempts: 1, notice: 'not-found' });
    assert.equal(r.said[0], 'Sorry, we could not find that policy number.');
    assert.ok(!r.said.some((s) => s.startsWith('Thank you for calling')));
  });

  test('askVerification asks five ZIP digits, or eight for a date of birth, keyed only', () => {
    const zip = renderWith(identifyRenderers, 'askVerification', { ...unknown, candidate: caller(['HM-1'], { verifyBy: 'zip' }) });
    assert.deepEqual(zip.said, ['For your security, please enter the five digit ZIP code on the policy.']);
    assert.deepEqual(zip.gather, { expect: 'verification', input: 'dtmf', numDigits: 5 });
    assert.equal(attrs(zip.twiml, 'Gather').timeout, '10');

    const dob = renderWith(identifyRenderers, 'askVerification', {
      ...unknown,
      notice: 'verify-failed',
      candidate: caller(['HM-1'], { verifyBy: 'dob' }),
    });
    assert.equal(dob.said[0], 'Sorry, that does not match our records.');
    assert.match(dob.said[1]!, /date of birth as eight digits/);
    assert.deepEqual(dob.gather, { expect: 'verification', input: 'dtmf', numDigits: 8 });
  });

  test('choosePolicy greets by name, then lists each policy by its last four characters, one key each', () => {
    const r = renderWith(identifyRenderers, 'choosePolicy', { identified: caller(['HM-A-200874', 'HM-H-300412']) });
    assert.deepEqual(r.said, [
      'Hello Maria, thank you for calling Harbor Mutual.',
      'You have 2 policies with us.',
      'For the policy ending in 0, 8, 7, 4, press 1.',
      'For the policy ending in 0, 4, 1, 2, press 2.',
    ]);
    assert.deepEqual(r.gather, { expect: 'policy-choice', input: 'dtmf speech', numDigits: 1 });
  });

  test('choosePolicy thanks a caller verified by number, and offers eight policies at most', () => {
    const many = Array.from({ length: 9 }, (_, i) => `HM-${1000 + i}`);
    const r = renderWith(identifyRenderers, 'choosePolicy', { identified: caller(many), byCallerId: false });
    assert.equal(r.said[0], 'Thank you, Maria.');
    assert.equal(r.said[1], 'You have 9 policies with us.');
    assert.equal(r.said.length, 2 + 8);
  });
});
