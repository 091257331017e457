import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTranscript, type BundleEvent } from './export/render-transcript.js';
import { asOneTurnEvent, eventParts } from './turn-event.js';

const received = new Date('2026-11-05T10:00:20Z');
const carrier = new Date('2026-11-05T10:00:19Z');

const turn = asOneTurnEvent([
  { type: 'webhook.received', providerRef: 'CA1', providerTime: carrier, payload: { path: '/twilio/voice/turn', params: { Digits: '1' } } },
  { type: 'ivr.input', providerRef: 'CA1', payload: { step: 3, digits: '1', noInput: false } },
  { type: 'flow.transition', payload: { from: 'mainMenu', to: 'payReadback', event: 'MENU' } },
  { type: 'outbound.queued', providerRef: 'other-ref', payload: { outboxId: 'o1', topic: 'sms.send' } },
  { type: 'ivr.prompt', payload: { said: ['You owe 84 dollars.'], gather: { expect: 'pay-confirm' } } },
]);

test('the drafts of a turn become one event holding every part in order, nothing dropped', () => {
  assert.equal(turn.length, 1);
  const e = turn[0]!;
  assert.equal(e.type, 'flow.turn');
  assert.equal(e.providerRef, 'CA1');
  assert.equal(e.providerTime, carrier);
  const parts = (e.payload as { parts: { type: string; providerRef?: string }[] }).parts;
  assert.deepEqual(parts.map((p) => p.type), ['webhook.received', 'ivr.input', 'flow.transition', 'outbound.queued', 'ivr.prompt']);
  // A part whose provider reference differs from the event's keeps its own.
  assert.equal(parts[3]!.providerRef, 'other-ref');
  assert.equal(parts[1]!.providerRef, undefined);
});

test('a single draft stays a plain event', () => {
  const one = asOneTurnEvent([{ type: 'call.status', payload: { status: 'completed' } }]);
  assert.deepEqual(one, [{ type: 'call.status', payload: { status: 'completed' } }]);
});

test('eventParts gives back each part with the event fields, its own type and payload, and its index', () => {
  const stored = { id: 'e1', seq: 4, type: 'flow.turn', payload: turn[0]!.payload, providerRef: 'CA1', providerTime: carrier.toISOString() };
  const parts = eventParts(stored);
  assert.deepEqual(parts.map((p) => [p.part, p.type, p.seq, p.id]), [
    [0, 'webhook.received', 4, 'e1'], [1, 'ivr.input', 4, 'e1'], [2, 'flow.transition', 4, 'e1'],
    [3, 'outbound.queued', 4, 'e1'], [4, 'ivr.prompt', 4, 'e1'],
  ]);
  assert.equal(parts[3]!.providerRef, 'other-ref');
  assert.equal(parts[1]!.providerRef, 'CA1');
  assert.deepEqual(parts[1]!.payload, { step: 3, digits: '1', noInput: false });
  assert.deepEqual(eventParts({ type: 'call.status', payload: { status: 'busy' } }), [{ type: 'call.status', payload: { status: 'busy' }, part: null }]);
});

test('a transcript tells a one-event turn part by part: what was pressed, the state change, what was heard', () => {
  const e = turn[0]!;
  const event: BundleEvent = {
    id: 'e1', interactionId: 'i1', seq: 4, type: e.type, schemaVersion: 1, providerRef: 'CA1',
    providerTime: carrier.toISOString(), receivedAt: received.toISOString(), payload: e.payload,
    prevHash: 'p', hash: 'h', leafIndex: 9, leafHash: 'lh',
  };
  const text = renderTranscript({ id: 'i1', kind: 'call', direction: 'inbound' }, [event]);
  const lines = text.split('\n').filter((l) => l.includes('#4.'));
  assert.equal(lines.length, 4, 'the request part says nothing a reader needs; the other four are told');
  assert.match(lines[0]!, /#4\.1 {2}CALLER pressed\/said: 1 at step 3/);
  assert.match(lines[1]!, /#4\.2 {2}STATE: mainMenu -> payReadback on MENU/);
  assert.match(lines[2]!, /#4\.3 {2}OUTBOUND\.QUEUED/);
  assert.match(lines[3]!, /#4\.4 {2}CALLER HEARD: You owe 84 dollars\. \[waiting for input\]/);
  assert.match(lines[0]!, /carrier 2026-11-05T10:00:19\.000Z/);
});
