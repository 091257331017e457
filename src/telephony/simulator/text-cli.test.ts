import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { carrierFilePath, removeCarrierFile, writeCarrierFile } from './carrier-file.js';
import { startFakeTwilioApi, type FakeTwilioApi } from './fake-twilio-api.js';
import { captureStream as capture, startCarrierRig, type CarrierRig } from './test-support/carrier-rig.js';
import type { TwimlTestServer } from './test-support/twiml-test-server.js';
import { runTextCli, type TextCliOptions } from './text-cli.js';

const accountSid = 'AC' + 'c'.repeat(32);
const authToken = 'text-cli-token';
const publicBaseUrl = 'https://ivr.example.com';
const ours = '+18005550100';
const statusCallback = `${publicBaseUrl}/twilio/sms/status`;

const until = async (what: string, ok: () => boolean, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const deadPid = () =>
  new Promise<number>((resolve) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('exit', () => resolve(child.pid!));
  });

const closedPort = async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
};

describe('npm run text through the simulated carrier', () => {
  let rig: CarrierRig;
  let server: TwimlTestServer;
  let fake: FakeTwilioApi;
  let sdk: CarrierRig['sdk'];
  let dataDir: string;
  before(async () => {
    rig = await startCarrierRig({
      accountSid,
      authToken,
      publicBaseUrl,
      routes: {
        '/twilio/sms': (r) => {
          // Like the gateway queueing a receipt job: a text sent a moment after the reply.
          if (r.params.Body === 'PAY') setTimeout(() => void sdk.messages.create({ from: ours, to: r.params.From!, body: 'Harbor Mutual: payment of $42.50 received, confirmation HM-1', statusCallback }), 50);
          return `<Response><Message>Echo: ${r.params.Body}</Message></Response>`;
        },
      },
    });
    ({ server, fake, sdk } = rig);
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'text-cli-'));
    await writeCarrierFile(dataDir, { url: fake.url, pid: process.pid });
  });
  after(async () => {
    await rig.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const opts = (extra: Partial<TextCliOptions> = {}) => {
    const out = capture();
    const err = capture();
    const options: TextCliOptions = { gatewayUrl: server.gatewayUrl, publicBaseUrl, authToken, accountSid, defaultTo: ours, dataDir, stdout: out.stream, stderr: err.stream, ...extra };
    return { options, out, err };
  };

  it('chats: each line is a text, replies print at once, later texts print as they arrive with their delivery status', async () => {
    const person = '+12025550121';
    const stdin = new PassThrough();
    const { options, out, err } = opts({ stdin });
    const session = runTextCli(['--from', person], options);
    await until('the help line', () => out.text().includes('/quit'));
    assert.match(out.text(), /^Texting \+18005550100 from \+12025550121 through the simulated carrier\./);
    stdin.write('hello there\n');
    await until('the reply', () => out.text().includes('<- Echo: hello there'));

    await sdk.messages.create({ from: ours, to: person, body: 'Harbor Mutual: your premium of $42.50 is due on June 1', statusCallback });
    await until('the delivered status', () => out.text().includes('← [delivered]'));
    assert.match(out.text(), /← \[queued\] Harbor Mutual: your premium of \$42\.50 is due on June 1\n/);
    assert.match(out.text(), /← \[delivered\] Harbor Mutual: your premium of \$42\.50 is\.\.\.\n/);

    stdin.write('STOP\n');
    await until('the opt-out note', () => out.text().includes('may no longer text'));
    await sdk.messages.create({ from: ours, to: person, body: 'Your receipt' }).catch(() => undefined);
    await until('the refusal', () => out.text().includes('← [refused: 21610 Attempt to send to unsubscribed recipient] Your receipt'));
    stdin.write('/quit\n');
    stdin.write('not sent\n');
    assert.equal(await session, 0);
    assert.equal(err.text(), '');
    assert.equal(server.on('/twilio/sms').filter((r) => r.params.Body === 'not sent').length, 0);
  });

  it('one message with --wait shows the replies, then the texts that come for that many seconds', async () => {
    const { options, out } = opts();
    const started = Date.now();
    assert.equal(await runTextCli(['--from', '+12025550122', '--wait', '1', 'PAY'], options), 0);
    assert.ok(Date.now() - started >= 900);
    const lines = out.text().trim().split('\n');
    assert.deepEqual(lines, [
      '+12025550122 <- Echo: PAY',
      '← [queued] Harbor Mutual: payment of $42.50 received, confirmation HM-1',
      '← [sent] Harbor Mutual: payment of $42.50 receive...',
      '← [delivered] Harbor Mutual: payment of $42.50 receive...',
    ]);
  });

  it('a gateway the carrier cannot reach exits 2 with the usual message; bad --wait is a usage error', async () => {
    const down = await startFakeTwilioApi({ accountSid, authToken, webhooks: { gatewayUrl: await closedPort(), publicBaseUrl } });
    const downDir = mkdtempSync(path.join(os.tmpdir(), 'text-cli-down-'));
    try {
      await writeCarrierFile(downDir, { url: down.url, pid: process.pid });
      const { options, err } = opts({ dataDir: downDir });
      assert.equal(await runTextCli(['--from', '+12025550123', 'hi'], options), 2);
      assert.match(err.text(), /Cannot reach the gateway at http:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED.*\)\. Is it running\?/);
    } finally {
      await down.close();
      rmSync(downDir, { recursive: true, force: true });
    }
    for (const argv of [['--wait', 'soon', 'hi'], ['--wait', '2'], ['--chat', '--wait', '1']]) {
      const { options, err } = opts();
      assert.equal(await runTextCli(['--from', '+12025550123', ...argv], options), 64, argv.join(' '));
      assert.match(err.text(), /--wait .*\n\nUsage: npm run text/);
    }
  });

  it('without a live carrier (no file, or its worker gone) texts the gateway directly and says so', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'text-cli-none-'));
    try {
      const none = opts({ dataDir: empty });
      assert.equal(await runTextCli(['--from', '+12025550124', 'HELP'], none.options), 0);
      assert.match(none.out.text(), /^\+12025550124 <- Echo: HELP\n$/);
      assert.equal(none.err.text().trim().split('\n').length, 1);
      assert.match(none.err.text(), /no live simulated carrier recorded in .*simulated-carrier\.json: texting the gateway directly at http:\/\/127\.0\.0\.1:\d+/);

      const gone = { url: fake.url, pid: await deadPid() };
      await writeCarrierFile(empty, gone);
      const stale = opts({ dataDir: empty });
      assert.equal(await runTextCli(['--from', '+12025550124', 'STOP'], stale.options), 0);
      assert.match(stale.err.text(), /texting the gateway directly/);
      assert.doesNotMatch(stale.out.text(), /carrier:/);
      assert.equal(fake.optOuts.blocks(ours, '+12025550124'), false, 'the carrier never saw that STOP');

      await removeCarrierFile(empty, { ...gone, pid: gone.pid + 1 });
      assert.ok(existsSync(carrierFilePath(empty)), 'another carrier’s file is left alone');
      await removeCarrierFile(empty, gone);
      assert.ok(!existsSync(carrierFilePath(empty)));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
