import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { evidenceParts } from './support/evidence-parts.js';
import { buildTestApp, messageSid, signedForm, TEST_ACCOUNT_SID } from './support/build-test-app.js';
import { seedPolicyholder } from './support/seed.js';
import { createTestDb, type TestDb } from './support/test-db.js';

let t: TestDb;
let app: FastifyInstance;
before(async () => {
  t = await createTestDb();
  ({ app } = await buildTestApp(t.db));
  await seedPolicyholder(t.db, { firstName: 'Ana', phone: '+12025550160', policyNumber: 'HM-200001', locale: 'es-US' });
});
after(async () => {
  await app.close();
  await t.drop();
});

let n = 1;
const text = (body: string, from = '+12025550160', to = '+18005550100') =>
  app.inject(signedForm('/twilio/sms', { MessageSid: messageSid(n++), AccountSid: TEST_ACCOUNT_SID, From: from, To: to, Body: body }));
const consent = async (phone: string) =>
  (await t.db.query('select granted, source from consents where phone_e164 = $1 and channel = $2', [phone, 'sms'])).rows[0];

test('STOP revokes SMS consent at once, with one confirmation in the customer language, recorded as evidence', async () => {
  const res = await text('stop');
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /ya no recibirá mensajes/);
  assert.deepEqual(await consent('+12025550160'), { granted: false, source: 'sms-keyword:STOP' });
  const ev = (await evidenceParts(t.db, 'true', [])).filter((p) => p.type === 'consent.changed');
  assert.equal(ev.length, 1);
  assert.equal(ev[0]!.payload.granted, false);
  // Further ordinary messages from an opted-out number get no reply.
  const after = await text('hola?');
  assert.doesNotMatch(after.body, /<Message>/);
});

test('START opts back in; CANCEL POLICY is not an opt-out', async () => {
  await text('START');
  assert.equal((await consent('+12025550160')).granted, true);
  const res = await text('CANCEL POLICY');
  assert.equal((await consent('+12025550160')).granted, true);
  assert.match(res.body, /<Message>/);
});

test('a retried message webhook is applied once', async () => {
  const params = { MessageSid: messageSid(999), AccountSid: TEST_ACCOUNT_SID, From: '+13125550111', To: '+18005550100', Body: 'STOP' };
  const a = await app.inject(signedForm('/twilio/sms', params));
  const b = await app.inject(signedForm('/twilio/sms', params));
  assert.equal(a.body, b.body);
  const received = (await evidenceParts(t.db, 'e.provider_ref = $1', [params.MessageSid])).filter((p) => p.type === 'webhook.received');
  assert.equal(received.length, 1);
});

test('a second STOP on the same thread gets no second confirmation; START then STOP confirms again', async () => {
  const from = '+12025550171';
  assert.match((await text('STOP', from)).body, /no longer receive/);
  assert.doesNotMatch((await text('stop.', from)).body, /<Message>/);
  assert.match((await text('START', from)).body, /again/);
  assert.match((await text('Stop', from)).body, /no longer receive/);
});

test('the consent registry is the one truth: a number opted out by import, or on another of our numbers, gets no reply (HELP still answers)', async () => {
  const imported = '+12025550172';
  await t.db.query(`insert into consents (phone_e164, channel, granted, source, recorded_at) values ($1, 'sms', false, 'import', now())`, [imported]);
  assert.doesNotMatch((await text('hello', imported)).body, /<Message>/);
  assert.match((await text('HELP', imported)).body, /Reply STOP to opt out/);

  const elsewhere = '+12025550173';
  assert.match((await text('hi', elsewhere, '+18005550199')).body, /<Message>/, 'a consented thread on our other number is answered');
  await text('STOP', elsewhere, '+18005550100');
  assert.doesNotMatch((await text('hi again', elsewhere, '+18005550199')).body, /<Message>/, 'opted out on one number: silent on the other');
});

test('every opt-out and opt-in keyword, in odd case, spacing and punctuation, changes consent at once with one confirmation', async () => {
  const optOuts = ['stop', '  STOP  ', 'Stop!', 'stopall', 'UnSubscribe', 'cancel.', ' END', 'quit?', 'Revoke', 'opt-out', 'Opt Out', 'OPTOUT', 'parar', 'ALTO!'];
  const optIns = ['start', ' Start. ', 'UNSTOP', 'yes', 'Subscribe!', 'si', 'Sí'];
  let k = 0;
  for (const out of optOuts) {
    const phone = `+1415555${String(3000 + k++).padStart(4, '0')}`;
    const reply = (await text(out, phone)).body;
    assert.match(reply, /no longer receive text messages|ya no recibirá/, `${JSON.stringify(out)} is confirmed`);
    assert.equal((await consent(phone)).granted, false, `${JSON.stringify(out)} opts out`);
    assert.doesNotMatch((await text(out, phone)).body, /<Message>/, `a second ${JSON.stringify(out)} gets no second confirmation`);
    const back = optIns[k % optIns.length]!;
    assert.match((await text(back, phone)).body, /again|volverá/, `${JSON.stringify(back)} is confirmed`);
    assert.equal((await consent(phone)).granted, true, `${JSON.stringify(back)} opts back in`);
  }
});
