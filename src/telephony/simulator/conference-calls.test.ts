import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createScriptedInput } from './scripted-input.js';
import { newSid } from './sids.js';
import { startCarrierRig, type CarrierRig } from './test-support/carrier-rig.js';
import type { TestRoute } from './test-support/twiml-test-server.js';

const accountSid = 'AC' + 'c'.repeat(32);
const authToken = 'conference-test-token';
const publicBaseUrl = 'https://ivr.example.com';
const xml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;

const waitUntil = async <T>(read: () => T | undefined, ms = 5_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = read();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('simulated conferences and the Calls update API', () => {
  let rig: CarrierRig;
  const routes: Record<string, TestRoute> = {
    // The caller holds in a conference of their own, as the gateway's warm transfer puts them.
    '/caller': (r) => xml(
      `<Dial action="/after" method="POST"><Conference startConferenceOnEnter="false" endConferenceOnExit="true" waitUrl="/hold" waitMethod="POST" beep="false" ` +
      `statusCallback="/conference" statusCallbackMethod="POST" statusCallbackEvent="start end join leave" participantLabel="caller">${r.params.To === '+15550000001' ? 'room-a' : 'room-b'}</Conference></Dial>`,
    ),
    '/hold': () => xml('<Play loop="2">https://music.example.com/hold.mp3</Play>'),
    '/after': (r) => xml(`<Say>After the hold: ${r.params.DialCallStatus}</Say>`),
    '/back': () => xml('<Say>Back to the menu</Say>'),
    '/agent': () => xml('<Say>Connecting you now.</Say><Dial><Conference startConferenceOnEnter="true" endConferenceOnExit="true" participantLabel="agent">room-a</Conference></Dial>'),
  };

  before(async () => {
    rig = await startCarrierRig({ accountSid, authToken, publicBaseUrl, routes });
  });
  after(() => rig.close());

  const conferenceCallbacks = (name: string) =>
    rig.server.on('/conference').filter((r) => r.params.FriendlyName === name);

  it('a caller holds to music until an agent who starts the conference joins; the agent leaving ends it and the caller goes on at the Dial action', async () => {
    const caller = rig.fake.placeCall({ from: '+12025550143', to: '+15550000001', url: '/caller', input: createScriptedInput([]), holdLoopMs: 20 });
    const room = await waitUntil(() => rig.fake.network.conferences.get('room-a'));
    assert.equal(room.status, 'init');
    rig.fake.onCall = () => ({ input: createScriptedInput([{ dial: { duration: 60 } }]) });
    const agent = await rig.sdk.calls.create({ to: '+15550100101', from: '+18005550100', url: `${publicBaseUrl}/agent` });
    const heard = await caller;
    const agentResult = await rig.fake.callResults.next({ sid: agent.sid });
    await rig.fake.idle();

    assert.deepEqual(heard.errors, []);
    assert.ok(heard.events.some((e) => e.type === 'play' && e.url === 'https://music.example.com/hold.mp3'), 'hold music played');
    assert.deepEqual(heard.said, ['After the hold: answered']);
    assert.equal(agentResult.endReason, 'caller-hangup');
    assert.deepEqual(agentResult.said, ['Connecting you now.']);
    const callbacks = conferenceCallbacks('room-a');
    assert.deepEqual(callbacks.map((c) => [c.params.StatusCallbackEvent, c.params.ParticipantLabel ?? '']), [
      ['participant-join', 'caller'],
      ['participant-join', 'agent'],
      ['conference-start', ''],
      ['participant-leave', 'agent'],
      ['participant-leave', 'caller'],
      ['conference-end', ''],
    ]);
    assert.deepEqual(callbacks.map((c) => c.params.SequenceNumber), ['1', '2', '3', '4', '5', '6']);
    assert.ok(callbacks.every((c) => c.signatureValid && /^CF[0-9a-f]{32}$/.test(c.params.ConferenceSid ?? '') && c.params.ConferenceSid === room.sid));
    assert.ok(callbacks.every((c) => c.params.AccountSid === accountSid && c.params.Timestamp));
    assert.equal(callbacks[0]?.params.CallSid, heard.callSid);
    assert.equal(callbacks[3]?.params.CallSid, agent.sid);
    assert.equal(callbacks[3]?.params.ReasonParticipantLeft, 'participant_hung_up');
    assert.equal(callbacks[5]?.params.CallSidEndingConference, agent.sid);
    assert.equal(room.status, 'completed');
    assert.equal(rig.fake.network.conferences.get('room-a'), undefined, 'the name is free again');
    const action = rig.server.on('/after').at(-1);
    assert.equal(action?.params.DialCallStatus, 'answered');
    assert.equal(action?.params.DialCallSid, undefined, 'no DialCallSid for a conference');
  });

  it('a caller hanging up on hold ends the conference; the Dial action is only told', async () => {
    const heard = await rig.fake.placeCall({ from: '+12025550144', to: '+15550000002', url: '/caller', input: createScriptedInput(['hangup']) });
    assert.equal(heard.endReason, 'caller-hangup');
    assert.deepEqual(heard.said, []);
    assert.deepEqual(conferenceCallbacks('room-b').map((c) => c.params.StatusCallbackEvent), ['participant-join', 'participant-leave', 'conference-end']);
    assert.equal(rig.server.on('/after').at(-1)?.params.CallStatus, 'completed');
  });

  it('redirects a call holding in a conference: it leaves (participant-leave), skips the Dial action and plays the new TwiML', async () => {
    const callSid = newSid('CA');
    const actionsBefore = rig.server.on('/after').length;
    const playing = rig.fake.placeCall({ callSid, from: '+12025550145', to: '+15550000003', url: '/caller', input: createScriptedInput([]), holdLoopMs: 20 });
    await waitUntil(() => rig.fake.network.conferences.get('room-b'));
    const updated = await rig.sdk.calls(callSid).update({ url: `${publicBaseUrl}/back`, method: 'POST' });
    assert.equal(updated.sid, callSid);
    assert.equal(updated.status, 'in-progress');
    const heard = await playing;
    assert.deepEqual(heard.said, ['Back to the menu']);
    assert.equal(rig.server.on('/after').length, actionsBefore, 'no Dial action on a redirect');
    const leave = conferenceCallbacks('room-b').find((c) => c.params.CallSid === callSid && c.params.StatusCallbackEvent === 'participant-leave');
    assert.equal(leave?.params.ReasonParticipantLeft, 'participant_updated_via_api');
    // Over now: new TwiML is refused with 21220, an unknown call is 20404.
    await assert.rejects(rig.sdk.calls(callSid).update({ url: `${publicBaseUrl}/back` }), { status: 400, code: 21220 });
    await assert.rejects(rig.sdk.calls(newSid('CA')).update({ url: `${publicBaseUrl}/back` }), { status: 404, code: 20404 });
  });

  it('Status=completed hangs up a call in progress; its completed callback carries the duration', async () => {
    rig.fake.onCall = () => ({});
    const call = await rig.sdk.calls.create({
      to: '+15550000002', from: '+18005550100', url: `${publicBaseUrl}/caller`, statusCallback: `${publicBaseUrl}/status`, statusCallbackEvent: ['answered', 'completed'],
    });
    await waitUntil(() => rig.fake.network.conferences.get('room-b')?.participants.has(call.sid) || undefined);
    await rig.sdk.calls(call.sid).update({ status: 'completed' });
    const result = await rig.fake.callResults.next({ sid: call.sid });
    assert.equal(result.endReason, 'hung-up-by-api');
    const status = rig.server.on('/status').filter((r) => r.params.CallSid === call.sid);
    assert.deepEqual(status.map((s) => s.params.CallStatus), ['in-progress', 'completed']);
    assert.match(status[1]?.params.CallDuration ?? '', /^\d+$/);
    assert.equal((await rig.sdk.calls(call.sid).fetch()).status, 'completed');
  });

  it('Status=canceled ends a call that still rings; the callee is never played', async () => {
    let pickUp!: () => void;
    rig.fake.onCall = () => new Promise((resolve) => (pickUp = () => resolve({})));
    const call = await rig.sdk.calls.create({
      to: '+15550100102', from: '+18005550100', url: `${publicBaseUrl}/agent`, statusCallback: `${publicBaseUrl}/status`, statusCallbackEvent: ['initiated', 'ringing', 'completed'],
    });
    await waitUntil(() => ((rig.fake.network.calls.get(call.sid)?.record.status === 'ringing') || undefined));
    const canceled = await rig.sdk.calls(call.sid).update({ status: 'canceled' });
    assert.equal(canceled.status, 'canceled');
    pickUp();
    const result = await rig.fake.callResults.next({ sid: call.sid });
    assert.equal(result.finalStatus, 'canceled');
    assert.deepEqual(rig.server.on('/status').filter((r) => r.params.CallSid === call.sid).map((s) => s.params.CallStatus), ['initiated', 'ringing', 'canceled']);
  });

  it('a phone ringing longer than the call\'s Timeout is no-answer; within it, it is answered', async () => {
    rig.fake.onCall = () => ({ ringSeconds: 25 });
    const late = await rig.sdk.calls.create({ to: '+15550100103', from: '+18005550100', url: `${publicBaseUrl}/back`, timeout: 20, statusCallback: `${publicBaseUrl}/status` });
    assert.equal((await rig.fake.callResults.next({ sid: late.sid })).finalStatus, 'no-answer');
    const soon = await rig.sdk.calls.create({ to: '+15550100103', from: '+18005550100', url: `${publicBaseUrl}/back`, timeout: 30, statusCallback: `${publicBaseUrl}/status` });
    const answered = await rig.fake.callResults.next({ sid: soon.sid });
    assert.equal(answered.finalStatus, 'completed');
    assert.deepEqual(answered.said, ['Back to the menu']);
    assert.deepEqual(rig.server.on('/status').filter((r) => r.params.CallSid === late.sid).map((s) => [s.params.CallStatus, s.params.CallDuration]), [['no-answer', '0']]);
  });

  it('a phone that is never picked up rings for Timeout real seconds, then it is no-answer', async () => {
    rig.fake.onCall = () => new Promise(() => undefined);
    const started = Date.now();
    const call = await rig.sdk.calls.create({ to: '+15550100104', from: '+18005550100', url: `${publicBaseUrl}/back`, timeout: 1, statusCallback: `${publicBaseUrl}/status` });
    const result = await rig.fake.callResults.next({ sid: call.sid });
    assert.equal(result.finalStatus, 'no-answer');
    assert.ok(Date.now() - started >= 900, 'rang for about the timeout');
    assert.equal((await rig.sdk.calls(call.sid).fetch()).status, 'no-answer');
  });
});
