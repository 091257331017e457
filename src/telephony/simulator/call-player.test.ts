import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCarrierSimulator, type CarrierSimulator } from './carrier-simulator.js';
import { createScriptedInput } from './scripted-input.js';
import { isSid } from './sids.js';
import { startTwimlTestServer, type TestRoute, type TwimlTestServer } from './test-support/twiml-test-server.js';

const authToken = 'test-auth-token-0123456789abcdef';
const accountSid = 'AC' + '1'.repeat(32);
const publicBaseUrl = 'https://ivr.example.com';
const caller = { from: '+15551234567', to: '+15557654321' };

const xml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;

describe('call player', () => {
  let server: TwimlTestServer;
  let sim: CarrierSimulator;
  const routes: Record<string, TestRoute> = {};

  before(async () => {
    server = await startTwimlTestServer({ authToken, publicBaseUrl, routes });
    sim = createCarrierSimulator({ gatewayUrl: server.gatewayUrl, publicBaseUrl, authToken, accountSid });
  });
  after(() => server.close());

  const setRoutes = (r: Record<string, TestRoute>) => {
    for (const k of Object.keys(routes)) delete routes[k];
    Object.assign(routes, r);
    server.received.length = 0;
  };

  it('signs every request so the server validates it against the public URL', async () => {
    setRoutes({ '/twilio/voice': () => xml('<Say voice="Polly.Joanna" language="en-US">Hello</Say>') });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([]) });
    assert.equal(server.received.length, 2);
    assert.ok(server.received.every((r) => r.signatureValid));
    const first = server.on('/twilio/voice')[0];
    assert.ok(first);
    assert.equal(first.params.CallStatus, 'ringing');
    assert.equal(first.params.Direction, 'inbound');
    assert.equal(first.params.ApiVersion, '2010-04-01');
    assert.equal(first.params.AccountSid, accountSid);
    assert.equal(first.params.Caller, caller.from);
    assert.equal(first.params.Called, caller.to);
    assert.ok(isSid('CA', first.params.CallSid ?? ''));
    assert.match(String(first.headers['i-twilio-idempotency-token']), /^[0-9a-f]{32}$/);
    assert.deepEqual(call.events[0], { type: 'say', text: 'Hello', loop: 1, voice: 'Polly.Joanna', language: 'en-US' });
    assert.equal(call.transcript[0]?.url, `${publicBaseUrl}/twilio/voice`);
    assert.equal(call.transcript[0]?.postedTo, `${server.gatewayUrl}/twilio/voice`);
  });

  it('a wrong token is refused by the server and ends the call with an error', async () => {
    setRoutes({ '/twilio/voice': () => xml('<Say>never</Say>') });
    const bad = createCarrierSimulator({ gatewayUrl: server.gatewayUrl, publicBaseUrl, authToken: 'wrong', accountSid });
    const call = await bad.placeCall({ ...caller, input: createScriptedInput([]) });
    assert.equal(server.received[0]?.signatureValid, false);
    assert.equal(call.endReason, 'application-error');
    assert.match(call.errors[0] ?? '', /HTTP 403/);
  });

  it('end of document hangs up and posts the completed status callback', async () => {
    setRoutes({ '/twilio/voice': () => xml('<Say>Thanks for calling.</Say><Pause length="2"/>') });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([]) });
    assert.equal(call.endReason, 'end-of-document');
    assert.deepEqual(call.said, ['Thanks for calling.']);
    const status = server.on('/twilio/voice/status');
    assert.equal(status.length, 1);
    const p = status[0]?.params ?? {};
    assert.equal(p.CallStatus, 'completed');
    assert.equal(p.CallbackSource, 'call-progress-events');
    assert.equal(p.SequenceNumber, '0');
    assert.equal(p.CallSid, call.callSid);
    assert.ok(Number(p.CallDuration) >= 3, `duration ${p.CallDuration}`);
    assert.match(p.Timestamp ?? '', /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    assert.ok(status[0]?.signatureValid);
  });

  it('gathers digits, honouring numDigits and finishOnKey, and posts them to a relative action', async () => {
    setRoutes({
      '/twilio/voice': () => xml('<Gather action="menu?step=1" numDigits="4"><Say>Enter your PIN</Say></Gather><Say>No input</Say>'),
      '/twilio/menu': (r) => xml(`<Say>You entered ${r.params.Digits}</Say><Gather action="/twilio/confirm" finishOnKey="#"/>`),
      '/twilio/confirm': (r) => xml(`<Say>Confirmed ${r.params.Digits}</Say><Hangup/><Say>unreachable</Say>`),
    });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([{ digits: '123456' }, { digits: '42#9' }]) });
    const menu = server.on('/twilio/menu')[0];
    assert.equal(menu?.url, '/twilio/menu?step=1');
    assert.equal(menu?.params.Digits, '1234');
    assert.equal(menu?.params.CallStatus, 'in-progress');
    assert.equal(server.on('/twilio/confirm')[0]?.params.Digits, '42');
    assert.deepEqual(call.said, ['Enter your PIN', 'You entered 1234', 'Confirmed 42']);
    assert.equal(call.endReason, 'hangup-verb');
    assert.ok(server.received.every((r) => r.signatureValid));
  });

  it('gathers speech with SpeechResult and Confidence', async () => {
    setRoutes({
      '/twilio/voice': () => xml('<Gather input="speech dtmf" action="/twilio/said"><Say>Say something</Say></Gather>'),
      '/twilio/said': () => xml('<Hangup/>'),
    });
    await sim.placeCall({ ...caller, input: createScriptedInput([{ speech: 'cancel my policy', confidence: 0.82 }]) });
    const said = server.on('/twilio/said')[0]?.params ?? {};
    assert.equal(said.SpeechResult, 'cancel my policy');
    assert.equal(said.Confidence, '0.82');
    assert.equal(said.Digits, undefined);
  });

  it('silence falls through to the next verb; actionOnEmptyResult posts the action anyway', async () => {
    setRoutes({
      '/twilio/voice': () => xml('<Gather action="/twilio/a"><Say>Press 1</Say></Gather><Redirect>/twilio/again</Redirect>'),
      '/twilio/again': () => xml('<Gather action="/twilio/b" actionOnEmptyResult="true"/>'),
      '/twilio/b': (r) => xml(`<Say>empty ${r.params.Digits === undefined}</Say>`),
    });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([{ silence: true }, { silence: true }]) });
    assert.equal(server.on('/twilio/a').length, 0);
    assert.equal(server.on('/twilio/again').length, 1);
    assert.equal(server.on('/twilio/b').length, 1);
    assert.deepEqual(call.said, ['Press 1', 'empty true']);
    assert.deepEqual(call.events.find((e) => e.type === 'redirect'), { type: 'redirect', url: `${publicBaseUrl}/twilio/again` });
  });

  it('a gather without action posts back to the current document', async () => {
    let n = 0;
    setRoutes({ '/twilio/voice': () => (n++ === 0 ? xml('<Gather numDigits="1"/>') : xml('<Say>again</Say>')) });
    await sim.placeCall({ ...caller, input: createScriptedInput([{ digits: '7' }]) });
    const posts = server.on('/twilio/voice');
    assert.equal(posts.length, 2);
    assert.equal(posts[1]?.params.Digits, '7');
  });

  it('Pay success posts the result, token and masked card; progress goes to the statusCallback', async () => {
    setRoutes({
      '/twilio/voice': () => xml('<Pay chargeAmount="49.90" action="/twilio/paid" statusCallback="/twilio/pay-status"/>'),
      '/twilio/paid': (r) => xml(`<Say>Result ${r.params.Result}</Say>`),
    });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([{ pay: { cardNumber: '4242424242424242' } }]) });
    const p = server.on('/twilio/paid')[0]?.params ?? {};
    assert.equal(p.Result, 'success');
    assert.equal(p.PaymentCardNumber, 'xxxx-xxxx-xxxx-4242');
    assert.equal(p.PaymentCardType, 'visa');
    assert.equal(p.ExpirationDate, '1230');
    assert.match(p.PaymentToken ?? '', /^tok_/);
    assert.match(p.ProfileId ?? '', /^cus_/);
    assert.match(p.PaymentConfirmationCode ?? '', /^ch_/);
    assert.ok(!Object.values(p).includes('4242424242424242'));
    const progress = server.on('/twilio/pay-status').map((r) => r.params.For);
    assert.deepEqual(progress, ['payment-card-number', 'expiration-date', 'security-code', 'postal-code', 'payment-processing']);
    assert.deepEqual(call.said, ['Result success']);
  });

  it('Pay failure results carry the error and no token; tokenize sends no confirmation code', async () => {
    setRoutes({
      '/twilio/voice': () => xml('<Pay action="/twilio/paid"/><Pay chargeAmount="0" action="/twilio/paid2"/>'),
      '/twilio/paid': () => xml('<Pay chargeAmount="0" action="/twilio/paid2"/>'),
      '/twilio/paid2': () => xml('<Hangup/>'),
    });
    await sim.placeCall({
      ...caller,
      input: createScriptedInput([
        { pay: { result: 'payment-connector-error', paymentError: 'card is declined', payErrorCode: '64010' } },
        { pay: { result: 'success' } },
      ]),
    });
    const failed = server.on('/twilio/paid')[0]?.params ?? {};
    assert.equal(failed.Result, 'payment-connector-error');
    assert.equal(failed.PaymentError, 'card is declined');
    assert.equal(failed.PayErrorCode, '64010');
    assert.equal(failed.PaymentToken, undefined);
    const tokenized = server.on('/twilio/paid2')[0]?.params ?? {};
    assert.equal(tokenized.Result, 'success');
    assert.equal(tokenized.PaymentConfirmationCode, undefined);
  });

  it('Pay tokenizing to a Stripe PaymentMethod answers with Stripe\'s test one for the default card, unless the script names one', async () => {
    setRoutes({
      '/twilio/voice': () => xml('<Pay chargeAmount="0" tokenType="payment-method" action="/twilio/paid"/>'),
      '/twilio/paid': () => xml('<Pay chargeAmount="0" tokenType="payment-method" action="/twilio/paid2"/>'),
      '/twilio/paid2': () => xml('<Hangup/>'),
    });
    await sim.placeCall({ ...caller, input: createScriptedInput([{ pay: {} }, { pay: { paymentToken: 'pm_card_mastercard', cardNumber: '5555555555554444' } }]) });
    const first = server.on('/twilio/paid')[0]?.params ?? {};
    assert.equal(first.PaymentToken, 'pm_card_visa');
    assert.equal(first.PaymentCardNumber, 'xxxx-xxxx-xxxx-4242');
    assert.equal(server.on('/twilio/paid2')[0]?.params.PaymentToken, 'pm_card_mastercard');
  });

  it('Pay maps a keyed Stripe test card to its test PaymentMethod, and refuses a card that is not one, as Stripe\'s test mode does', async () => {
    setRoutes({
      '/twilio/voice': () => xml('<Pay chargeAmount="0" tokenType="payment-method" action="/twilio/paid"/>'),
      '/twilio/paid': () => xml('<Pay chargeAmount="0" tokenType="payment-method" action="/twilio/paid2"/>'),
      '/twilio/paid2': () => xml('<Hangup/>'),
    });
    await sim.placeCall({ ...caller, input: createScriptedInput([{ pay: { cardNumber: '4000000000009995' } }, { pay: { cardNumber: '4111111111111111' } }]) });
    const keyed = server.on('/twilio/paid')[0]?.params ?? {};
    assert.equal(keyed.Result, 'success');
    assert.equal(keyed.PaymentToken, 'pm_card_chargeDeclinedInsufficientFunds');
    assert.equal(keyed.PaymentCardNumber, 'xxxx-xxxx-xxxx-9995');
    assert.equal(keyed.PaymentCardType, 'visa');
    assert.ok(!Object.values(keyed).includes('4000000000009995'));
    const live = server.on('/twilio/paid2')[0]?.params ?? {};
    assert.equal(live.Result, 'payment-connector-error');
    assert.equal(live.PaymentToken, undefined);
    assert.equal(live.ConnectorError, 'card_declined');
    assert.match(live.PaymentError ?? '', /test mode/);
  });

  it('Dial posts DialCallStatus, DialCallSid and DialCallDuration to its action', async () => {
    setRoutes({
      '/twilio/voice': () => xml('<Dial action="/twilio/dialled" timeout="20"><Number>+15550001111</Number></Dial>'),
      '/twilio/dialled': (r) => xml(`<Say>${r.params.DialCallStatus}</Say>`),
    });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([{ dial: { status: 'busy' } }]) });
    const p = server.on('/twilio/dialled')[0]?.params ?? {};
    assert.equal(p.DialCallStatus, 'busy');
    assert.equal(p.DialCallDuration, '0');
    assert.ok(isSid('CA', p.DialCallSid ?? ''));
    const dial = call.events.find((e) => e.type === 'dial');
    assert.deepEqual(dial?.type === 'dial' ? dial.targets : [], [{ kind: 'number', value: '+15550001111', attrs: {} }]);
    assert.deepEqual(call.said, ['busy']);
  });

  it('Dial without action continues with the next verb; Enqueue posts QueueResult', async () => {
    setRoutes({
      '/twilio/voice': () => xml('<Dial><Conference>room-1</Conference></Dial><Enqueue action="/twilio/queued">agents</Enqueue>'),
      '/twilio/queued': (r) => xml(`<Say>${r.params.QueueResult}</Say>`),
    });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([{ dial: { duration: 12 } }, { enqueue: { result: 'queue-full' } }]) });
    assert.equal(server.on('/twilio/queued')[0]?.params.QueueResult, 'queue-full');
    assert.deepEqual(call.said, ['queue-full']);
  });

  it('a caller hanging up mid-gather ends the call and still sends the completed status', async () => {
    setRoutes({ '/twilio/voice': () => xml('<Gather action="/twilio/x"><Say>Menu</Say></Gather>') });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput(['hangup']) });
    assert.equal(call.endReason, 'caller-hangup');
    assert.equal(server.on('/twilio/x').length, 0);
    assert.equal(server.on('/twilio/voice/status')[0]?.params.CallStatus, 'completed');
  });

  it('Reject as first verb ends with status busy', async () => {
    setRoutes({ '/twilio/voice': () => xml('<Reject reason="busy"/>') });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([]) });
    assert.equal(call.endReason, 'reject-verb');
    assert.equal(call.finalStatus, 'busy');
    assert.equal(server.on('/twilio/voice/status')[0]?.params.CallStatus, 'busy');
  });

  it('the loop guard ends a call that redirects forever', async () => {
    setRoutes({ '/twilio/voice': () => xml('<Redirect>/twilio/voice</Redirect>') });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([]), maxRequests: 15 });
    assert.equal(call.endReason, 'loop-guard');
    assert.equal(server.on('/twilio/voice').length, 15);
    assert.match(call.errors[0] ?? '', /loop guard/);
    assert.equal(server.on('/twilio/voice/status').length, 1);
  });

  it('a 500 or a non-XML answer ends the call with an error event', async () => {
    setRoutes({
      '/twilio/voice': () => xml('<Gather action="/twilio/boom"/>'),
      '/twilio/boom': () => ({ status: 500, body: 'Internal Server Error', contentType: 'text/plain' }),
    });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([{ digits: '1' }]) });
    assert.equal(call.endReason, 'application-error');
    const error = call.events.find((e) => e.type === 'error');
    assert.ok(error?.type === 'error' && /HTTP 500/.test(error.message) && /application error/.test(error.spoken ?? ''));
    assert.equal(call.transcript.find((t) => t.url.endsWith('/twilio/boom'))?.status, 500);
    assert.equal(server.on('/twilio/voice/status').length, 1);

    setRoutes({ '/twilio/voice': () => ({ status: 200, body: '{"hello":1}', contentType: 'application/json' }) });
    const call2 = await sim.placeCall({ ...caller, input: createScriptedInput([]) });
    assert.equal(call2.endReason, 'application-error');
    assert.match(call2.errors[0] ?? '', /not TwiML/);
  });

  it('an unreachable gateway is an error event, not an exception', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const dead = createCarrierSimulator({ gatewayUrl: `http://127.0.0.1:${port}`, publicBaseUrl, authToken, accountSid });
    const call = await dead.placeCall({ ...caller, input: createScriptedInput([]) });
    assert.equal(call.endReason, 'application-error');
    assert.match(call.errors[0] ?? '', /ECONNREFUSED/);
  });

  it('a script that does not match the flow fails loudly', async () => {
    setRoutes({ '/twilio/voice': () => xml('<Gather/>') });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([{ dial: {} }]) });
    assert.equal(call.endReason, 'application-error');
    assert.match(call.errors[0] ?? '', /<Gather> is playing but the next step is/);
  });

  it('re-sends the last request unchanged, as a Twilio retry', async () => {
    setRoutes({ '/twilio/voice': () => xml('<Say>hi</Say>') });
    const call = await sim.placeCall({ ...caller, input: createScriptedInput([]), statusCallback: null });
    const retry = await call.client.resendLast();
    const [original, again] = server.on('/twilio/voice');
    assert.ok(original && again);
    assert.deepEqual(again.params, original.params);
    assert.equal(again.headers['i-twilio-idempotency-token'], original.headers['i-twilio-idempotency-token']);
    assert.ok(again.signatureValid);
    assert.equal(retry.retryOf, 0);
  });

  it('GET actions carry their parameters in the signed query string', async () => {
    setRoutes({
      '/twilio/voice': () => xml('<Gather action="/twilio/get?x=1" method="GET" numDigits="1"/>'),
      '/twilio/get': () => xml('<Hangup/>'),
    });
    await sim.placeCall({ ...caller, input: createScriptedInput([{ digits: '5' }]) });
    const got = server.on('/twilio/get')[0];
    assert.equal(got?.method, 'GET');
    assert.equal(got?.params.Digits, '5');
    assert.equal(got?.params.x, '1');
    assert.ok(got?.signatureValid);
  });
});
