import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { GatewayServices } from '../../src/runtime/gateway-services.js';
import { createWebCallControl } from '../../src/runtime/web-call-control.js';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../src/telephony/simulator/fake-twilio-api.js';
import { removeCarrierFile, writeCarrierFile } from '../../src/telephony/simulator/carrier-file.js';

// The web process's Calls API with the simulated carrier: it finds the worker's carrier through DATA_DIR.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gw-web-calls-'));
const accountSid = 'AC' + 'd'.repeat(32);
const authToken = 'web-calls-token';
let fake: FakeTwilioApi;
const services = { twilio: { simulated: true, accountSid, authToken, fromNumber: '+18005550100' }, config: { dataDir, twilio: {} } } as unknown as GatewayServices;

before(async () => {
  fake = await startFakeTwilioApi({ accountSid, authToken, webhooks: { gatewayUrl: 'http://127.0.0.1:9', publicBaseUrl: 'https://gw.example.test' } });
  fake.onCall = () => ({ status: 'busy' });
});
after(async () => {
  await fake.idle();
  await fake.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('no carrier running: a clear error naming DATA_DIR; once the worker writes its file, calls go to that carrier with async AMD', async () => {
  const calls = createWebCallControl(services);
  const o = { to: '+12025550143', from: '+18005550100', url: 'https://gw.example.test/a', statusCallback: 'https://gw.example.test/s', amdCallback: 'https://gw.example.test/amd', timeoutSeconds: 25 };
  await assert.rejects(calls.dialWithAmd(o), /no simulated carrier is running for DATA_DIR/);
  const where = { url: fake.url, pid: process.pid };
  await writeCarrierFile(dataDir, where);
  try {
    const { callSid } = await calls.dialWithAmd(o);
    const created = fake.calls.entries.find((c) => c.sid === callSid);
    assert.ok(created);
    assert.deepEqual(
      ['MachineDetection', 'AsyncAmd', 'AsyncAmdStatusCallback', 'Timeout'].map((k) => created.params[k]?.[0]),
      ['DetectMessageEnd', 'true', 'https://gw.example.test/amd', '25'],
    );
    await fake.idle();
    assert.equal(await calls.redirect(callSid, 'https://gw.example.test/v'), false, 'a call already over is not redirected');
  } finally {
    await removeCarrierFile(dataDir, where);
  }
});
