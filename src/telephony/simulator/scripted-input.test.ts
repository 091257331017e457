import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collectDigits } from './gather-verb.js';
import { maskCardNumber, cardTypeOf } from './pay-params.js';
import { parseScript } from './scripted-input.js';
import { parseTwiml } from './twiml-document.js';

describe('simulator helpers', () => {
  it('parses command-line scripts', () => {
    assert.deepEqual(parseScript('1, 12#,say:cancel it,-,pay,pay:too-many-failed-attempts,dial:busy,hangup'), [
      { digits: '1' },
      { digits: '12#' },
      { speech: 'cancel it', confidence: 0.9 },
      { silence: true },
      { pay: {} },
      { pay: { result: 'too-many-failed-attempts' } },
      { dial: { status: 'busy' } },
      'hangup',
    ]);
    assert.deepEqual(parseScript('pay:4000000000009995,pay:4000 0000 0000 0002'), [
      { pay: { cardNumber: '4000000000009995' } },
      { pay: { cardNumber: '4000000000000002' } },
    ]);
    assert.throws(() => parseScript('x1'), /Unknown script step "x1"/);
    assert.throws(() => parseScript('pay:maybe'), /Unknown pay result "maybe"/);
  });

  it('applies finishOnKey and numDigits', () => {
    assert.equal(collectDigits('123#45', '#', undefined), '123');
    assert.equal(collectDigits('123456', '#', 4), '1234');
    assert.equal(collectDigits('12#', '', undefined), '12#');
  });

  it('masks cards and names their brand', () => {
    assert.equal(maskCardNumber('4242424242424242'), 'xxxx-xxxx-xxxx-4242');
    assert.equal(maskCardNumber('378282246310005'), 'xxxx-xxxxxx-x0005');
    assert.equal(cardTypeOf('5555555555554444'), 'mastercard');
    assert.equal(cardTypeOf('378282246310005'), 'amex');
  });

  it('keeps verb order and rejects what is not TwiML', () => {
    const doc = parseTwiml('<Response><Say>a</Say><Gather><Play>b.wav</Play></Gather><Hangup/></Response>');
    assert.ok(doc.ok);
    assert.deepEqual(doc.verbs.map((v) => v.name), ['Say', 'Gather', 'Hangup']);
    assert.equal(doc.verbs[1]?.children[0]?.text, 'b.wav');
    assert.equal(parseTwiml('<html></html>').ok, false);
    assert.equal(parseTwiml('<Response><Say>').ok, false);
  });
});
