import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readCarrierInbox, textThroughCarrier, type CarrierEndpoint } from './carrier-client.js';
import { startFakeTwilioApi, type FakeTwilioApi } from './fake-twilio-api.js';
import { startCarrierRig, type CarrierRig } from './test-support/carrier-rig.js';
import type { TwimlTestServer } from './test-support/twiml-test-server.js';

const accountSid = 'AC' + 'b'.repeat(32);
const authToken = 'inbox-token';
const publicBaseUrl = 'https://ivr.example.com';
const ours = '+18005550100';
const statusCallback = `${publicBaseUrl}/twilio/sms/status`;

describe('the simulated carrier’s inbox (GET /simulator/messages)', () => {
  let rig: CarrierRig;
  let server: TwimlTestServer;
  let fake: FakeTwilioApi;
  let sdk: CarrierRig['sdk'];
  let carrier: CarrierEndpoint;
  before(async () => {
    rig = await startCarrierRig({ accountSid, authToken, publicBaseUrl });
    ({ server, fake, sdk, carrier } = rig);
  });
  after(() => rig.close());

  it('lists the texts to a number after a cursor, each with its status history up to delivered', async () => {
    const person = '+12025550111';
    await sdk.messages.create({ from: ours, to: person, body: 'before the cursor', statusCallback });
    await fake.idle();
    const cursor = (await readCarrierInbox(carrier, { number: person })).next;
    const sent = await sdk.messages.create({ from: ours, to: person, body: 'Harbor Mutual: payment of $42.50 received', statusCallback });
    await sdk.messages.create({ from: ours, to: '+12025550999', body: 'someone else', statusCallback });
    await fake.idle();
    const page = await readCarrierInbox(carrier, { number: person, after: cursor });
    assert.deepEqual(page.messages.map((m) => [m.sid, m.body, m.status]), [[sent.sid, 'Harbor Mutual: payment of $42.50 received', 'delivered']]);
    assert.deepEqual(page.messages[0]?.history.map((h) => h.status), ['queued', 'sent', 'delivered']);
    assert.equal(page.messages[0]?.from, ours);
    assert.ok(page.next > cursor);
    assert.deepEqual((await readCarrierInbox(carrier, { number: person, after: page.next })).messages, []);
  });

  it('a long poll answers as soon as a text arrives, and empty when none came in time', async () => {
    const person = '+12025550112';
    const cursor = (await readCarrierInbox(carrier, { number: person })).next;
    const started = Date.now();
    const waiting = readCarrierInbox(carrier, { number: person, after: cursor, waitMs: 10_000 });
    setTimeout(() => void sdk.messages.create({ from: ours, to: person, body: 'a notice' }), 100);
    const page = await waiting;
    assert.ok(Date.now() - started < 3_000, `woke after ${Date.now() - started} ms`);
    assert.equal(page.messages[0]?.body, 'a notice');

    const quiet = Date.now();
    const none = await readCarrierInbox(carrier, { number: '+12025550113', after: page.next, waitMs: 200 });
    assert.deepEqual(none.messages, []);
    assert.ok(Date.now() - quiet >= 150);
  });

  it('lists a create the carrier refused, with Twilio’s code', async () => {
    const person = '+12025550114';
    await textThroughCarrier(carrier, { from: person, to: ours, body: 'STOP' });
    const cursor = (await readCarrierInbox(carrier, { number: person })).next;
    await assert.rejects(sdk.messages.create({ from: ours, to: person, body: 'Your receipt' }), { code: 21610 });
    const [refused] = (await readCarrierInbox(carrier, { number: person, after: cursor })).messages;
    assert.equal(refused?.sid, null);
    assert.equal(refused?.status, 'refused');
    assert.equal(refused?.errorCode, 21610);
    assert.equal(refused?.body, 'Your receipt');
  });

  it('checks basic auth and its parameters', async () => {
    const anonymous = await fetch(`${fake.url}/simulator/messages?number=%2B12025550111`);
    assert.equal(anonymous.status, 401);
    await assert.rejects(readCarrierInbox({ ...carrier, authToken: 'nope' }, { number: '+12025550111' }), /refused our credentials/);
    await assert.rejects(readCarrierInbox(carrier, { number: '12' }), /HTTP 400.*'number' must be an E\.164 number/);
    await assert.rejects(textThroughCarrier(carrier, { from: 'me', to: ours, body: 'hi' }), /HTTP 400.*'from' must be an E\.164 number/);
  });

  it('closing the carrier ends a pending long poll at once', async () => {
    const own = await startFakeTwilioApi({ accountSid, authToken, webhooks: { gatewayUrl: server.gatewayUrl, publicBaseUrl } });
    const waiting = readCarrierInbox({ url: own.url, accountSid, authToken }, { number: '+12025550115', waitMs: 30_000 });
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await own.close();
    assert.deepEqual((await waiting).messages, []);
    assert.ok(Date.now() - started < 2_000);
  });
});
