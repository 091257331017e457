import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { menuRenderers } from './render-menu.js';
import { due, renderWith, verbs } from './test-support/render-fixture.js';

describe('menu renderers', () => {
  test('mainMenu greets a caller known by caller ID, then offers the menu by key or word', () => {
    const r = renderWith(menuRenderers, 'mainMenu');
    assert.equal(r.said[0], 'Hello Maria, thank you for calling Harbor Mutual.');
    assert.match(r.said[1]!, /^To pay your premium, press 1/);
    assert.equal(r.said[2], 'Para español, oprima ocho.');
    assert.deepEqual(r.gather, { expect: 'menu', input: 'dtmf speech', numDigits: 1 });
    assert.match(r.twiml, /hints="[^"]*agent[^"]*repeat[^"]*spanish[^"]*pay[^"]*balance[^"]*cancel/);
    assert.deepEqual(verbs(r.twiml), ['Response', 'Say', 'Gather', 'Say', 'Say', 'Redirect']);
  });

  test('mainMenu without the greeting says the notice first (a cancelled policy, a due that is not there)', () => {
    const cancelled = renderWith(menuRenderers, 'mainMenu', { greet: false, notice: 'already-cancelled' });
    assert.equal(cancelled.said[0], 'This policy is already cancelled.');
    assert.equal(cancelled.said.length, 3);
    const noDue = renderWith(menuRenderers, 'mainMenu', { greet: false, notice: 'no-due' });
    assert.equal(noDue.said[0], 'You have no payment due at this time.');
  });

  test('mainMenu speaks Spanish to a Spanish-speaking caller', () => {
    const r = renderWith(menuRenderers, 'mainMenu', { locale: 'es-US', greet: false });
    assert.equal(r.locale, 'es-US');
    assert.match(r.twiml, /<Gather[^>]*language="es-US"/);
    assert.match(r.said[0]!, /oprima/);
  });

  test('amountDue tells the amount and the date, overdue with the last day of grace, and offers to pay', () => {
    const upcoming = renderWith(menuRenderers, 'amountDue', { greet: false, due: due() });
    assert.match(upcoming.said[0]!, /^Your premium of \$118\.20 is due on .*December 5/);
    assert.equal(upcoming.said[1], 'To pay now, press 1. To return to the main menu, press 9.');
    assert.deepEqual(upcoming.gather, { expect: 'due-options', input: 'dtmf speech', numDigits: 1 });

    const today = renderWith(menuRenderers, 'amountDue', { due: due({ standing: 'due-today' }) });
    assert.match(today.said[0]!, /is due today/);
    const overdue = renderWith(menuRenderers, 'amountDue', { due: due({ standing: 'overdue' }) });
    assert.match(overdue.said[0]!, /is overdue\. To keep your coverage, please pay by .*December 31/);
    const pastGrace = renderWith(menuRenderers, 'amountDue', { due: due({ standing: 'past-grace' }) });
    assert.match(pastGrace.said[0]!, /Your grace period ended on .*December 31/);
  });
});
