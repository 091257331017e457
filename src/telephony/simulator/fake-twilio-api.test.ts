import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import twilio from 'twilio';
import { startFakeTwilioApi, type FakeTwilioApi } from './fake-twilio-api.js';
import { createScriptedInput } from './scripted-input.js';
import { startTwimlTestServer, type TestRoute, type TwimlTestServer } from './test-support/twiml-test-server.js';
import { twilioClientForFake } from './twilio-client-for-fake.js';

const accountSid = 'AC' + 'f'.repeat(32);
const authToken = 'fake-api-token';
const publicBaseUrl = 'https://ivr.example.com';
const from = '+15550001000';

describe('fake Twilio REST API driven by the real twilio SDK', () => {
  let server: TwimlTestServer;
  let fake: FakeTwilioApi;
  let client: twilio.Twilio;
  const routes: Record<string, TestRoute> = {};

  before(async () => {
    server = await startTwimlTestServer({ authToken, publicBaseUrl, routes });
    fake = await startFakeTwilioApi({ accountSid, authToken, webhooks: { gatewayUrl: server.gatewayUrl, publicBaseUrl } });
    client = twilioClientForFake(fake);
  });
  after(async () => {
    await fake.idle();
    await fake.close();
    await server.close();
  });

  it('sends a message and posts signed status callbacks queued, sent, delivered', async () => {
    const sent = await client.messages.create({
      to: '+15551112222',
      from,
      body: 'Your premium is due',
      statusCallback: `${publicBaseUrl}/twilio/sms/status`,
    });
    assert.match(sent.sid, /^SM[0-9a-f]{32}$/);
    assert.equal(sent.status, 'queued');
    assert.equal(sent.body, 'Your premium is due');
    assert.equal(sent.numSegments, '1');
    assert.ok(sent.dateCreated instanceof Date && !Number.isNaN(sent.dateCreated.getTime()));
    const recorded = await fake.messages.next({ to: '+15551112222' });
    assert.equal(recorded.sid, sent.sid);
    assert.equal(recorded.from, from);
    await fake.idle();
    const callbacks = server.on('/twilio/sms/status');
    assert.deepEqual(callbacks.map((c) => c.params.MessageStatus), ['queued', 'sent', 'delivered']);
    assert.ok(callbacks.every((c) => c.signatureValid && c.params.MessageSid === sent.sid));
    const fetched = await client.messages(sent.sid).fetch();
    assert.equal(fetched.status, 'delivered');
  });

  it('an undelivered outcome reaches the callback with its error code', async () => {
    fake.messageOutcome = () => ({ status: 'undelivered', errorCode: 30005 });
    try {
      const sent = await client.messages.create({ to: '+15551113333', from, body: 'x', statusCallback: `${publicBaseUrl}/twilio/sms/status` });
      await fake.idle();
      const last = server.on('/twilio/sms/status').filter((c) => c.params.MessageSid === sent.sid).at(-1);
      assert.equal(last?.params.MessageStatus, 'undelivered');
      assert.equal(last?.params.ErrorCode, '30005');
    } finally {
      fake.messageOutcome = () => ({ status: 'delivered' });
    }
  });

  it('answers Twilio errors the SDK turns into RestException', async () => {
    await assert.rejects(client.messages.create({ to: '12', from, body: 'x' }), (e: unknown) => {
      assert.ok(e instanceof twilio.RestException);
      assert.equal(e.code, 21211);
      assert.equal(e.status, 400);
      assert.equal(e.moreInfo, 'https://www.twilio.com/docs/errors/21211');
      return true;
    });
    const wrong = twilioClientForFake({ ...fake, authToken: 'nope' });
    await assert.rejects(wrong.messages.create({ to: '+15551112222', from, body: 'x' }), { code: 20003, status: 401 });
    fake.beforeCreate = (kind) => (kind === 'message' ? { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' } : undefined);
    try {
      await assert.rejects(client.messages.create({ to: '+15551112222', from, body: 'x' }), { code: 21610 });
    } finally {
      fake.beforeCreate = () => undefined;
    }
  });

  it('creates a call and plays it against the gateway with signed status callbacks', async () => {
    routes['/twilio/outbound'] = (r) =>
      `<Response><Gather numDigits="1" action="/twilio/outbound/choice"><Say>Hello ${r.params.AnsweredBy}, press 1</Say></Gather></Response>`;
    routes['/twilio/outbound/choice'] = (r) => `<Response><Say>You pressed ${r.params.Digits}</Say></Response>`;
    fake.onCall = () => ({ answeredBy: 'human', input: createScriptedInput([{ digits: '1' }]) });
    const call = await client.calls.create({
      to: '+15552223333',
      from,
      url: `${publicBaseUrl}/twilio/outbound`,
      statusCallback: `${publicBaseUrl}/twilio/voice/status`,
      statusCallbackEvent: ['initiated', 'answered', 'completed'],
    });
    assert.match(call.sid, /^CA[0-9a-f]{32}$/);
    assert.equal(call.status, 'queued');
    const result = await fake.callResults.next({ sid: call.sid });
    assert.deepEqual(result.said, ['Hello human, press 1', 'You pressed 1']);
    const first = server.on('/twilio/outbound')[0];
    assert.equal(first?.params.Direction, 'outbound-api');
    assert.equal(first?.params.CallStatus, 'in-progress');
    const status = server.on('/twilio/voice/status').filter((r) => r.params.CallSid === call.sid);
    assert.deepEqual(status.map((s) => [s.params.CallStatus, s.params.SequenceNumber]), [
      ['initiated', '0'],
      ['in-progress', '1'],
      ['completed', '2'],
    ]);
    assert.ok(status.every((s) => s.signatureValid));
    assert.equal((await client.calls(call.sid).fetch()).status, 'completed');
  });

  it('a busy callee only reports its status', async () => {
    fake.onCall = () => ({ status: 'busy' });
    const call = await client.calls.create({ to: '+15552224444', from, url: `${publicBaseUrl}/twilio/outbound`, statusCallback: `${publicBaseUrl}/twilio/voice/status` });
    const result = await fake.callResults.next({ sid: call.sid });
    assert.equal(result.endReason, 'not-answered');
    const status = server.on('/twilio/voice/status').filter((r) => r.params.CallSid === call.sid);
    assert.deepEqual(status.map((s) => s.params.CallStatus), ['busy']);
    assert.equal((await client.calls(call.sid).fetch()).status, 'busy');
    await assert.rejects(client.calls.create({ to: '+15552224444', from }), { code: 21205 });
  });

  // Answering machine detection (answering-machine.ts): asynchronous as Twilio does it, or on the first webhook.
  routes['/amd/answer'] = () => '<Response><Gather numDigits="1" action="/amd/key"><Say>Hello there</Say></Gather><Say>Goodbye</Say></Response>';
  routes['/amd/key'] = (r) => `<Response><Say>You pressed ${r.params.Digits}</Say></Response>`;
  const create = (to: string, amd: Record<string, unknown>) =>
    client.calls.create({ to, from, url: `${publicBaseUrl}/amd/answer`, statusCallback: `${publicBaseUrl}/amd/status`, ...amd });
  const requestsOf = (sid: string) => server.received.filter((r) => r.params.CallSid === sid);

  it('asynchronous AMD: the TwiML runs at once without AnsweredBy, then the result is posted signed to the AMD callback', async () => {
    fake.onCall = () => ({ answeredBy: 'machine_end_beep', machineDetectionMs: 8700 });
    const call = await create('+15552220001', {
      machineDetection: 'DetectMessageEnd', asyncAmd: 'true', asyncAmdStatusCallback: `${publicBaseUrl}/amd/result?due=7`, asyncAmdStatusCallbackMethod: 'POST',
    });
    const result = await fake.callResults.next({ sid: call.sid });
    const seen = requestsOf(call.sid);
    assert.deepEqual(seen.map((r) => r.path), ['/amd/answer', '/amd/result', '/amd/status'], 'the AMD result comes after the TwiML started');
    assert.equal(seen[0]!.params.AnsweredBy, undefined);
    const amd = seen[1]!;
    assert.equal(amd.url, '/amd/result?due=7');
    assert.ok(amd.signatureValid);
    assert.deepEqual({ ...amd.params }, { AccountSid: accountSid, CallSid: call.sid, AnsweredBy: 'machine_end_beep', MachineDetectionDuration: '8700' });
    assert.ok(fake.callbacks.some((c) => c.params.AnsweredBy === 'machine_end_beep' && c.params.CallSid === call.sid), 'listed with the callbacks');
    assert.ok(result.said.includes('Hello there'));
    assert.equal((await client.calls(call.sid).fetch()).answeredBy, 'machine_end_beep');
  });

  it('asynchronous AMD answered by a person reports human by default, and the person goes on with the call', async () => {
    fake.onCall = () => ({ input: createScriptedInput([{ digits: '2' }]) });
    const call = await create('+15552220002', { machineDetection: 'Enable', asyncAmd: 'true', asyncAmdStatusCallback: `${publicBaseUrl}/amd/result` });
    const result = await fake.callResults.next({ sid: call.sid });
    const amd = requestsOf(call.sid).find((r) => r.path === '/amd/result');
    assert.equal(amd?.params.AnsweredBy, 'human');
    assert.deepEqual(result.said, ['Hello there', 'You pressed 2']);
  });

  it('synchronous AMD: AnsweredBy on the first webhook, no AMD callback; Enable reports a machine at its start', async () => {
    fake.onCall = () => ({ answeredBy: 'machine_end_beep' });
    const call = await create('+15552220003', { machineDetection: 'Enable' });
    await fake.callResults.next({ sid: call.sid });
    const seen = requestsOf(call.sid);
    assert.equal(seen[0]?.path, '/amd/answer');
    assert.equal(seen[0]?.params.AnsweredBy, 'machine_start');
    assert.ok(!seen.some((r) => r.path === '/amd/result'));
  });

  it('a call without AMD carries no AnsweredBy, and one not answered posts no AMD result', async () => {
    fake.onCall = () => ({});
    const plain = await create('+15552220004', {});
    await fake.callResults.next({ sid: plain.sid });
    assert.ok(requestsOf(plain.sid).every((r) => r.params.AnsweredBy === undefined));
    fake.onCall = () => ({ status: 'no-answer' });
    const missed = await create('+15552220005', { machineDetection: 'Enable', asyncAmd: 'true', asyncAmdStatusCallback: `${publicBaseUrl}/amd/result` });
    await fake.callResults.next({ sid: missed.sid });
    assert.deepEqual(requestsOf(missed.sid).map((r) => [r.path, r.params.CallStatus]), [['/amd/status', 'no-answer']]);
  });
});
