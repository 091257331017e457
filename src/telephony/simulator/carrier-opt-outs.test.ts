import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import twilio from 'twilio';
import { textThroughCarrier } from './carrier-client.js';
import { carrierKeyword } from './opt-out-keywords.js';
import { startCarrierRig, type CarrierRig } from './test-support/carrier-rig.js';

const accountSid = 'AC' + 'a'.repeat(32);
const authToken = 'opt-out-token';
const publicBaseUrl = 'https://ivr.example.com';
const ours = '+18005550100';
const ourOther = '+18005550199';

const isUnsubscribed = (e: unknown) => {
  assert.ok(e instanceof twilio.RestException, String(e));
  assert.equal(e.status, 400);
  assert.equal(e.code, 21610);
  assert.equal(e.message, 'Attempt to send to unsubscribed recipient');
  assert.equal(e.moreInfo, 'https://www.twilio.com/docs/errors/21610');
  return true;
};

describe('the simulated carrier keeps Twilio’s opt-out list per sender', () => {
  let rig: CarrierRig;
  before(async () => {
    rig = await startCarrierRig({ accountSid, authToken, publicBaseUrl, routes: { '/twilio/sms': (r) => `<Response><Message>Got ${r.params.Body}</Message></Response>` } });
  });
  after(() => rig.close());

  const textFromOurs = (from: string, to: string) => rig.sdk.messages.create({ from, to, body: 'Your receipt' });

  it('STOP through the carrier still reaches the gateway, then blocks that number only: 21610 from it, another of ours still texts', async () => {
    const person = '+12025550101';
    const answer = await textThroughCarrier(rig.carrier, { from: person, to: ours, body: 'STOP' });
    assert.equal(answer.keyword, 'opt-out');
    assert.deepEqual(answer.replies.map((r) => r.body), ['Got STOP']);
    const delivered = rig.server.on('/twilio/sms').at(-1);
    assert.equal(delivered?.params.Body, 'STOP');
    assert.equal(delivered?.signatureValid, true);

    await assert.rejects(textFromOurs(ours, person), isUnsubscribed);
    const refused = await rig.fake.refusedMessages.next({ to: person });
    assert.equal(refused.from, ours);
    assert.equal(refused.error.code, 21610);
    assert.equal(rig.fake.messages.entries.filter((m) => m.to === person).length, 0, 'a refused create makes no message');

    const other = await textFromOurs(ourOther, person);
    assert.equal(other.status, 'queued');
    // Someone else is not blocked by this person's STOP.
    assert.equal((await textFromOurs(ours, '+12025550102')).status, 'queued');
  });

  it('START (or YES, UNSTOP) to the blocked number lifts it', async () => {
    const person = '+12025550103';
    await textThroughCarrier(rig.carrier, { from: person, to: ours, body: 'stopall' });
    await assert.rejects(textFromOurs(ours, person), isUnsubscribed);
    const answer = await textThroughCarrier(rig.carrier, { from: person, to: ours, body: 'START' });
    assert.equal(answer.keyword, 'opt-in');
    assert.equal((await textFromOurs(ours, person)).status, 'queued');
    // START to another of our numbers would not have lifted it: the list is per pair.
    await textThroughCarrier(rig.carrier, { from: person, to: ours, body: 'QUIT' });
    await textThroughCarrier(rig.carrier, { from: person, to: ourOther, body: 'UNSTOP' });
    await assert.rejects(textFromOurs(ours, person), isUnsubscribed);
  });

  it('the keyword is the whole message, trimmed, any case: "  stop " blocks, "stop please" does not', async () => {
    const loose = '+12025550104';
    assert.equal((await textThroughCarrier(rig.carrier, { from: loose, to: ours, body: '  stop ' })).keyword, 'opt-out');
    await assert.rejects(textFromOurs(ours, loose), isUnsubscribed);

    const chatty = '+12025550105';
    assert.equal((await textThroughCarrier(rig.carrier, { from: chatty, to: ours, body: 'stop please' })).keyword, null);
    assert.equal((await textFromOurs(ours, chatty)).status, 'queued');
  });

  it('knows Twilio’s default words and Advanced Opt-Out’s PARAR, nothing looser', () => {
    for (const w of ['STOP', 'Stop', 'STOPALL', 'unsubscribe', 'CANCEL', 'end', 'QUIT', 'REVOKE', 'OPTOUT', 'parar', '\tStop\n']) assert.equal(carrierKeyword(w), 'opt-out', w);
    for (const w of ['START', 'yes', 'Unstop', ' start ']) assert.equal(carrierKeyword(w), 'opt-in', w);
    for (const w of ['stop.', 'stop please', 'please cancel', 'CANCEL POLICY', 'HELP', '', 's t o p']) assert.equal(carrierKeyword(w), null, w);
  });
});
