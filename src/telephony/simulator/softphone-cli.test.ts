import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { runSoftphone, type SoftphoneOptions } from './softphone-cli.js';
import { runTextCli } from './text-cli.js';
import { captureStream as capture } from './test-support/carrier-rig.js';
import { startTwimlTestServer, type TwimlTestServer } from './test-support/twiml-test-server.js';

const authToken = 'cli-token';
const accountSid = 'AC' + '2'.repeat(32);
const publicBaseUrl = 'https://ivr.example.com';


describe('softphone and text CLIs', () => {
  let server: TwimlTestServer;
  before(async () => {
    server = await startTwimlTestServer({
      authToken,
      publicBaseUrl,
      routes: {
        '/twilio/voice': () => '<Response><Gather input="dtmf speech" numDigits="1" action="/twilio/menu"><Say>Press 1 to pay</Say></Gather></Response>',
        '/twilio/menu': (r) => `<Response><Say>You chose ${r.params.Digits ?? r.params.SpeechResult}</Say></Response>`,
        '/twilio/sms': (r) => `<Response><Message>Echo: ${r.params.Body}</Message></Response>`,
      },
    });
  });
  after(() => server.close());

  const opts = (extra: Partial<SoftphoneOptions> = {}) => {
    const out = capture();
    const err = capture();
    const options: SoftphoneOptions = { gatewayUrl: server.gatewayUrl, publicBaseUrl, authToken, accountSid, stdout: out.stream, stderr: err.stream, ...extra };
    return { options, out, err };
  };

  it('plays a scripted call and prints what the caller hears', async () => {
    const { options, out } = opts();
    const code = await runSoftphone(['--from', '+15551234567', '--script', '1'], options);
    assert.equal(code, 0);
    assert.match(out.text(), /IVR: Press 1 to pay/);
    assert.match(out.text(), /IVR: You chose 1/);
    assert.match(out.text(), /completed/);
  });

  it('reads keys and speech typed on the terminal', async () => {
    const stdin = new PassThrough();
    const { options, out } = opts({ stdin });
    stdin.end('say: pay my bill\n');
    const code = await runSoftphone(['--from', '+15551234567'], options);
    assert.equal(code, 0);
    assert.match(out.text(), /Keys \(e\.g\./);
    assert.match(out.text(), /IVR: You chose pay my bill/);
  });

  it('shows usage on bad arguments and a clear message when the gateway is down', async () => {
    const bad = opts();
    assert.equal(await runSoftphone(['--from', '5551234'], bad.options), 64);
    assert.match(bad.err.text(), /--from must be a number in E\.164 form[\s\S]*Usage: npm run call/);
    const unknown = opts();
    assert.equal(await runSoftphone(['--frm', '+15551234567'], unknown.options), 64);
    assert.match(unknown.err.text(), /Unknown option '--frm'/);
    const down = opts();
    const closed = await import('node:net').then(async ({ createServer }) => {
      const s = createServer();
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      const port = (s.address() as { port: number }).port;
      await new Promise((r) => s.close(r));
      return `http://127.0.0.1:${port}`;
    });
    down.options.gatewayUrl = closed;
    assert.equal(await runSoftphone(['--from', '+15551234567', '--script', '1'], down.options), 2);
    assert.match(down.err.text(), /Cannot reach the gateway at http:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\)/);
  });

  it('texts the gateway and prints the reply', async () => {
    const { options, out } = opts();
    assert.equal(await runTextCli(['--from', '+15551234567', 'hello', 'there'], options), 0);
    assert.match(out.text(), /<- Echo: hello there/);
    const missing = opts();
    assert.equal(await runTextCli(['--from', '+15551234567', '  '], missing.options), 64);
    assert.match(missing.err.text(), /message text is missing/);
  });
});
