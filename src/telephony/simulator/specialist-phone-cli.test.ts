import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { writeCarrierFile } from './carrier-file.js';
import { runSoftphone, type SoftphoneOptions } from './softphone-cli.js';
import { captureStream, startCarrierRig, type CarrierRig } from './test-support/carrier-rig.js';

const accountSid = 'AC' + 'd'.repeat(32);
const authToken = 'specialist-phone-token';
const publicBaseUrl = 'https://ivr.example.com';
const specialist = '+15550100101';
const xml = (inner: string) => `<?xml version="1.0" encoding="UTF-8"?><Response>${inner}</Response>`;
const room = (attrs: string) => `<Conference ${attrs} beep="false">transfer-demo</Conference>`;

const until = async (what: string, ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * Two terminals against one gateway, in one process: the caller's softphone through the simulated
 * carrier (found in DATA_DIR) holds in a conference while the "gateway" (a TwiML test server) rings
 * the specialist's softphone, which hears the whisper, presses 1 and joins; the specialist hanging up
 * ends the conference and the caller is thanked at the Dial action.
 */
describe('npm run call -- --as-specialist', () => {
  let rig: CarrierRig;
  let dataDir: string;
  let options: SoftphoneOptions;
  before(async () => {
    rig = await startCarrierRig({
      accountSid, authToken, publicBaseUrl,
      routes: {
        '/twilio/voice': () => {
          setTimeout(() => void rig.sdk.calls.create({ to: specialist, from: '+18005550100', url: `${publicBaseUrl}/whisper`, timeout: 20 }), 50);
          return xml(`<Say>Please hold while we connect you to a specialist.</Say><Dial action="/after">${room(
            'startConferenceOnEnter="false" endConferenceOnExit="true" waitUrl="/hold" statusCallback="/conference" statusCallbackEvent="start end join leave" participantLabel="caller"',
          )}</Dial>`);
        },
        '/hold': () => xml('<Play>https://music.example.com/hold.mp3</Play>'),
        '/whisper': () => xml('<Gather numDigits="1" action="/answer"><Say>Robin wants to cancel: it costs too much. Press 1 to accept, or 2 to decline.</Say></Gather>'),
        '/answer': (r) => (r.params.Digits === '1'
          ? xml(`<Say>Connecting you now.</Say><Dial>${room('startConferenceOnEnter="true" endConferenceOnExit="true" participantLabel="specialist"')}</Dial>`)
          : xml('<Hangup/>')),
        '/after': () => xml('<Say>Thank you for calling Harbor Mutual. Goodbye.</Say>'),
      },
    });
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'specialist-phone-'));
    await writeCarrierFile(dataDir, { url: rig.fake.url, pid: process.pid });
    options = { gatewayUrl: rig.server.gatewayUrl, publicBaseUrl, authToken, accountSid, defaultTo: '+18005550100', dataDir, pauseMsPerSecond: 0 };
  });
  after(async () => {
    await rig.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('rings, plays the whisper, presses 1, joins the caller\'s conference and prints its end; the caller holds until then', async () => {
    const specialistOut = captureStream();
    const hangUp = new AbortController();
    const phone = runSoftphone(['--as-specialist', '--number', specialist, '--script', '1'], { ...options, stdout: specialistOut.stream, signal: hangUp.signal });
    await until('the phone to register', () => rig.fake.phones.byNumber(specialist) !== undefined);

    const callerOut = captureStream();
    const caller = runSoftphone(['--from', '+12025550143', '--script', ''], { ...options, stdout: callerOut.stream });
    await until('the specialist to join', () => specialistOut.text().includes('you are connected'));
    hangUp.abort();
    assert.equal(await phone, 0);
    assert.equal(await caller, 0);

    const heard = specialistOut.text();
    assert.match(heard, /Ringing: call from \+18005550100/);
    assert.match(heard, /IVR: Robin wants to cancel: it costs too much\. Press 1 to accept/);
    assert.match(heard, /IVR: Connecting you now\.\n\(in conference transfer-demo\)\n\(conference transfer-demo started: you are connected\)/);
    assert.match(heard, /Hung up\./);
    const callerHeard = callerOut.text();
    assert.match(callerHeard, /through the simulated carrier/);
    assert.match(callerHeard, /IVR: Please hold while we connect you to a specialist\.\n\(in conference transfer-demo\)\n\(audio https:\/\/music\.example\.com\/hold\.mp3\)/);
    assert.equal(callerHeard.match(/\(audio /g)?.length, 1, 'the hold loop is printed once');
    assert.match(callerHeard, /\(left conference transfer-demo: the conference ended\)\nIVR: Thank you for calling Harbor Mutual\. Goodbye\.\n/);
    assert.match(callerHeard, /Call CA[0-9a-f]{32}: completed \(end-of-document\)\./);
    await rig.fake.idle();
    assert.deepEqual(rig.server.on('/conference').map((r) => r.params.StatusCallbackEvent), [
      'participant-join', 'participant-join', 'conference-start', 'participant-leave', 'participant-leave', 'conference-end',
    ]);
  });

  it('without a live simulated carrier it says so (exit 2); a bad number is a usage error (exit 64)', async () => {
    const err = captureStream();
    const empty = mkdtempSync(path.join(os.tmpdir(), 'no-carrier-'));
    try {
      assert.equal(await runSoftphone(['--as-specialist', '--number', specialist], { ...options, dataDir: empty, stderr: err.stream }), 2);
      assert.match(err.text(), /no live simulated carrier recorded in .*simulated-carrier\.json/);
      assert.equal(await runSoftphone(['--as-specialist', '--number', '555'], { ...options, stderr: err.stream }), 64);
      assert.match(err.text(), /--number must be a number in E\.164 form/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
