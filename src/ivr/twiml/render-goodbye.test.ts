import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { goodbyeRenderers, renderHangUp } from './render-goodbye.js';
import { passingRenderers } from './render-passing.js';
import { context, renderInput, renderWith, verbs } from './test-support/render-fixture.js';

describe('goodbye renderers', () => {
  test('goodbye thanks the caller and hangs up', () => {
    const r = renderWith(goodbyeRenderers, 'goodbye');
    assert.deepEqual(r.said, ['Thank you for calling Harbor Mutual. Goodbye.']);
    assert.equal(r.gather, null);
    assert.deepEqual(verbs(r.twiml), ['Response', 'Say', 'Hangup']);
  });

  test('goodbye after the queue failed apologises instead', () => {
    const r = renderWith(goodbyeRenderers, 'goodbye', { endReason: 'queue', locale: 'es-US' });
    assert.equal(r.said.length, 1);
    assert.doesNotMatch(r.said[0]!, /Goodbye/);
    assert.equal(r.locale, 'es-US');
  });

  test('ended (the caller hung up) and the passing states hang up without a word', () => {
    const ended = renderWith(goodbyeRenderers, 'ended');
    assert.deepEqual(ended.said, []);
    assert.equal(ended.twiml, '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>');
    for (const [state, render] of Object.entries(passingRenderers)) {
      assert.equal(render, renderHangUp, state);
    }
    assert.deepEqual(renderHangUp(renderInput('start', context()), 'start').said, []);
  });
});
