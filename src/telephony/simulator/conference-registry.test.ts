import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createConferenceRegistry } from './conference-registry.js';
import type { WebhookExchange, WebhookParams } from './webhook-client.js';

const accountSid = 'AC' + 'e'.repeat(32);

/** A registry whose callbacks are only recorded (the players' tests post them to a server). */
const registry = () => {
  const sent: { url: string; params: WebhookParams; method: string }[] = [];
  const r = createConferenceRegistry({
    accountSid,
    now: () => new Date('2026-12-04T12:00:00Z'),
    send: async (url, params, method) => {
      sent.push({ url, params, method });
      return { seq: sent.length - 1, method, url, postedTo: url, params, headers: {}, status: 200 } satisfies WebhookExchange;
    },
  });
  return { r, sent, events: () => sent.map((s) => `${s.params.StatusCallbackEvent}${s.params.CallSid ? ` ${s.params.CallSid}` : ''}`) };
};

const member = (callSid: string, o: Partial<Parameters<ReturnType<typeof createConferenceRegistry>['join']>[1]> = {}) => ({
  callSid, startConferenceOnEnter: true, endConferenceOnExit: false, ...o,
});

describe('conference registry', () => {
  it('starts with the first startConferenceOnEnter participant and ends when the last one leaves; the name is free again', async () => {
    const { r, sent, events } = registry();
    const a = await r.join('room', member('CA1', { startConferenceOnEnter: false, statusCallback: 'https://x/conf', statusCallbackEvents: ['start', 'end', 'join', 'leave'] }));
    assert.equal(a.conference.status, 'init');
    const b = await r.join('room', member('CA2', { statusCallback: 'https://x/other' }));
    assert.equal(b.conference, a.conference, 'same room');
    assert.equal(a.conference.status, 'in-progress');
    assert.equal(r.participantOf('CA2'), b);
    await a.leave('hangup');
    assert.equal(a.conference.status, 'in-progress', 'a participant without endConferenceOnExit leaves alone');
    await b.leave('hangup');
    assert.equal(await b.left, 'hangup');
    assert.deepEqual(events(), ['participant-join CA1', 'participant-join CA2', 'conference-start', 'participant-leave CA1', 'participant-leave CA2', 'conference-end']);
    assert.ok(sent.every((s) => s.url === 'https://x/conf'), 'the first participant\'s statusCallback gets them all');
    assert.equal(sent.at(-1)?.params.ReasonConferenceEnded, 'last-participant-left');
    assert.equal(r.get('room'), undefined);
    const again = await r.join('room', member('CA3'));
    assert.notEqual(again.conference.sid, a.conference.sid, 'a new conference under the same name');
    assert.deepEqual(r.all.map((c) => c.status), ['completed', 'in-progress']);
  });

  it('endConferenceOnExit drops everyone else (conference-ended); only the events asked for are posted, start and end by default', async () => {
    const { r, events } = registry();
    const caller = await r.join('hold', member('CA1', { startConferenceOnEnter: false, endConferenceOnExit: true, statusCallback: 'https://x/conf', statusCallbackMethod: 'GET' }));
    const agent = await r.join('hold', member('CA2'));
    await caller.leave('updated');
    assert.equal(await agent.left, 'conference-ended');
    assert.equal(r.participantOf('CA2'), undefined);
    assert.deepEqual(events(), ['conference-start', 'conference-end']);
    await agent.leave('hangup');
    assert.deepEqual(events(), ['conference-start', 'conference-end'], 'leaving twice changes nothing');
  });

  it('numbers callbacks per conference and says why a participant left', async () => {
    const { r, sent } = registry();
    const a = await r.join('r2', member('CA1', { label: 'caller', endConferenceOnExit: true, statusCallback: 'https://x/c', statusCallbackEvents: ['join', 'leave'] }));
    await a.leave('updated');
    assert.deepEqual(sent.map((s) => [s.params.SequenceNumber, s.params.ParticipantLabel, s.params.ReasonParticipantLeft ?? null, s.params.ParticipantCallStatus ?? null]), [
      ['1', 'caller', null, null],
      ['2', 'caller', 'participant_updated_via_api', 'in-progress'],
    ]);
    assert.ok(sent.every((s) => s.params.AccountSid === accountSid && s.params.FriendlyName === 'r2' && s.params.Timestamp === 'Fri, 04 Dec 2026 12:00:00 +0000' && s.method === 'POST'));
  });
});
