import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { personRenderers } from './render-person.js';
import { attrs, renderWith, verbs } from './test-support/render-fixture.js';

describe('person renderers (callback, offer of a person, transfer)', () => {
  test('offerCallback tells the business hours and offers a callback, noting a cancellation first', () => {
    const r = renderWith(personRenderers, 'offerCallback', { open: false, personReason: 'cancel' });
    assert.equal(r.said[0], 'We have noted that you would like to cancel your policy.');
    assert.match(r.said[1]!, /^Our specialists are available Monday to Friday, 9:00\sAM to 5:00\sPM \(.+\)\. To have a specialist call you back/);
    assert.deepEqual(r.gather, { expect: 'callback', input: 'dtmf speech', numDigits: 1 });
    assert.match(attrs(r.twiml, 'Gather').hints!, /yes/);
    const asked = renderWith(personRenderers, 'offerCallback', { open: false, personReason: 'asked' });
    assert.equal(asked.said.length, 1);
  });

  test('callbackBooked confirms the callback and waits one key for the menu', () => {
    const r = renderWith(personRenderers, 'callbackBooked');
    assert.deepEqual(r.said, ['Thank you. A specialist will call you back at this number during business hours; we will send you a text message with the time. To return to the main menu, press 9, or you may hang up.']);
    assert.deepEqual(r.gather, { expect: 'callback', input: 'dtmf', numDigits: 1 });
  });

  test('offerPerson offers a specialist by key or word', () => {
    const r = renderWith(personRenderers, 'offerPerson', { attempts: 3, personReason: 'trouble' });
    assert.deepEqual(r.said, ['It seems we are having trouble. To speak with a specialist, press 0, or just stay on the line.']);
    assert.deepEqual(r.gather, { expect: 'offer-person', input: 'dtmf speech', numDigits: 1 });
  });

  test('transferToPerson enqueues the caller for a specialist with the hold music, gathering nothing', () => {
    const r = renderWith(personRenderers, 'transferToPerson', { personReason: 'cancel' });
    assert.deepEqual(r.said, ['We have noted that you would like to cancel your policy.', 'Please hold while we connect you to a specialist.']);
    assert.equal(r.gather, null);
    assert.deepEqual(verbs(r.twiml), ['Response', 'Say', 'Say', 'Enqueue']);
    const q = attrs(r.twiml, 'Enqueue');
    assert.equal(q.action, '/turn?step=4&expect=queue');
    assert.equal(q.waitUrl, '/hold');
    assert.match(r.twiml, /<Enqueue[^>]*>specialists<\/Enqueue>/);
  });
});
