import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendSms } from './sms-sender.js';
import { isSid } from './sids.js';
import { startTwimlTestServer, type TestRoute, type TwimlTestServer } from './test-support/twiml-test-server.js';
import type { WebhookTarget } from './webhook-target.js';

const authToken = 'sms-token';
const accountSid = 'AC' + 'a'.repeat(32);
// Behind a proxy that strips /base: the signed URL has a path prefix the server never sees.
const publicBaseUrl = 'https://gw.example.org/base';

describe('sendSms', () => {
  let server: TwimlTestServer;
  let target: WebhookTarget;
  const routes: Record<string, TestRoute> = {};
  before(async () => {
    server = await startTwimlTestServer({ authToken, publicBaseUrl, routes });
    target = { gatewayUrl: server.gatewayUrl, publicBaseUrl, authToken, accountSid };
  });
  after(() => server.close());

  it('posts Twilio parameters, signed, and parses the <Message> replies', async () => {
    routes['/twilio/sms'] = (r) =>
      `<Response><Message>Got "${r.params.Body}"</Message><Message to="+15550009999"><Body>Copy</Body><Media>https://x/y.jpg</Media></Message></Response>`;
    const result = await sendSms(target, { from: '+15551234567', to: '+15557654321', body: 'STOP' });
    const req = server.on('/twilio/sms')[0];
    assert.ok(req?.signatureValid);
    assert.equal(req.params.SmsStatus, 'received');
    assert.equal(req.params.NumMedia, '0');
    assert.equal(req.params.NumSegments, '1');
    assert.equal(req.params.ApiVersion, '2010-04-01');
    assert.equal(req.params.AccountSid, accountSid);
    assert.ok(isSid('SM', req.params.MessageSid ?? ''));
    assert.equal(result.error, undefined);
    assert.deepEqual(result.replies, [
      { body: 'Got "STOP"', media: [] },
      { body: 'Copy', media: ['https://x/y.jpg'], to: '+15550009999' },
    ]);
  });

  it('an empty answer means no reply; a 500 is reported as an error', async () => {
    routes['/twilio/sms'] = () => ({ status: 200, body: '', contentType: 'text/plain' });
    assert.deepEqual((await sendSms(target, { from: '+15551234567', to: '+1555', body: 'hi' })).replies, []);
    routes['/twilio/sms'] = () => ({ status: 500, body: 'oops' });
    const failed = await sendSms(target, { from: '+15551234567', to: '+1555', body: 'hi' });
    assert.match(failed.error ?? '', /HTTP 500/);
  });
});
