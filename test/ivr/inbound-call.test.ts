import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { eventParts } from '../../src/evidence/turn-event.js';
import { evidenceParts } from '../support/evidence-parts.js';
import { verifyChains } from '../../src/evidence/verify-chains.js';
import { buildTestApp, callSid, signedForm, TEST_ACCOUNT_SID } from '../support/build-test-app.js';
import { parseBusinessHours } from '../../src/shared/business-hours.js';
import { seedDue, seedPolicy, seedPolicyholder, seedSpecialist } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
let app: FastifyInstance;
let closed: FastifyInstance;
before(async () => {
  t = await createTestDb();
  ({ app } = await buildTestApp(t.db));
  ({ app: closed } = await buildTestApp(t.db, { businessHours: parseBusinessHours('America/New_York Sun 00:00-00:01') }));
  await seedPolicyholder(t.db, { firstName: 'Maria', phone: '+12025550143', policyNumber: 'HM-100234', zip: '20500' });
  await seedPolicyholder(t.db, { firstName: 'José', phone: '+12025550177', policyNumber: 'HM-100777', locale: 'es-US' });
  // Two policies, each with a due of its own: identified by number, the caller means that one.
  const james = await seedPolicyholder(t.db, { firstName: 'James', phone: '+12025550119', policyNumber: 'HM-A-200874', zip: '20003' });
  await seedDue(t.db, james.policyId, 11_820, '2026-12-05');
  await seedDue(t.db, await seedPolicy(t.db, james.policyholderId, 'HM-H-300412'), 9_675, '2026-12-05');
  await seedPolicyholder(t.db, { firstName: 'Lucía', phone: '+12025550178', policyNumber: 'HM-L-100587', zip: '30310', locale: 'es-US' });
  // On duty in the business hours (each app's own): `app` is always open, `closed` almost never.
  await seedSpecialist(t.db, { name: 'Grace Holt', phone: '+15550100001' });
});
after(async () => {
  await app.close();
  await closed.close();
  await t.drop();
});

let n = 100;
const newCall = (from: string) => ({ CallSid: callSid(n++), AccountSid: TEST_ACCOUNT_SID, From: from, To: '+18005550100', CallStatus: 'ringing' });
const gatherAction = (twiml: string) => {
  const m = /<Gather[^>]*action="([^"]+)"/.exec(twiml);
  assert.ok(m, `no Gather in ${twiml}`);
  return m[1]!.replace(/&amp;/g, '&');
};
const redirectUrl = (twiml: string) => /<Redirect[^>]*>([^<]+)<\/Redirect>/.exec(twiml)?.[1]?.replace(/&amp;/g, '&');

test('a known caller is greeted by first name and offered the menu; the call is evidence with a valid chain', async () => {
  const params = newCall('+12025550143');
  const res = await app.inject(signedForm('/twilio/voice', params));
  assert.equal(res.statusCode, 200);
  assert.match(res.headers['content-type'] as string, /xml/);
  assert.match(res.body, /Hello Maria, thank you for calling Harbor Mutual/);
  assert.match(res.body, /<Gather[^>]*input="dtmf speech"/);
  assert.match(res.body, /<Redirect/, 'silence must lead somewhere');

  const { rows } = await t.db.query(
    `select i.id, i.policyholder_id from interactions i where provider_ref = $1`,
    [params.CallSid],
  );
  assert.ok(rows[0].policyholder_id, 'the call is linked to the identified policyholder');
  const ev = await t.db.query('select type, payload from evidence_events where interaction_id = $1 order by seq', [rows[0].id]);
  assert.deepEqual(ev.rows.map((r) => r.type), ['flow.turn'], 'the first turn is one event');
  const parts = eventParts(ev.rows[0]);
  assert.deepEqual(parts.map((p) => p.type), ['webhook.received', 'flow.transition', 'ivr.prompt']);
  assert.match(JSON.stringify(parts[2]!.payload), /Hello Maria/);
  assert.deepEqual((await verifyChains(t.db, { interactionId: rows[0].id })).broken, []);
});

test('a Spanish-speaking policyholder hears Spanish', async () => {
  const res = await app.inject(signedForm('/twilio/voice', newCall('+12025550177')));
  assert.match(res.body, /Hola José/);
  assert.match(res.body, /language="es-US"/);
});

test('Twilio retrying the incoming-call webhook gets the same answer and nothing is applied twice', async () => {
  const params = newCall('+12025550143');
  const a = await app.inject(signedForm('/twilio/voice', params));
  const b = await app.inject(signedForm('/twilio/voice', params));
  assert.equal(a.body, b.body);
  const where = 'e.interaction_id = (select id from interactions where provider_ref = $1)';
  const parts = await evidenceParts(t.db, where, [params.CallSid]);
  assert.deepEqual(parts.map((p) => [p.seq, p.type]), [[0, 'webhook.received'], [0, 'flow.transition'], [0, 'ivr.prompt']]);
});

test('an unknown caller gives a policy number and ZIP, and is then greeted by name; the ZIP is never stored', async () => {
  const params = newCall('+13125550100');
  const first = await app.inject(signedForm('/twilio/voice', params));
  assert.match(first.body, /Thank you for calling Harbor Mutual/);
  assert.match(first.body, /policy number/);

  const second = await app.inject(signedForm(gatherAction(first.body), { ...params, Digits: '100234#' }));
  assert.match(second.body, /ZIP code/);
  const third = await app.inject(signedForm(gatherAction(second.body), { ...params, Digits: '20500' }));
  assert.match(third.body, /Thank you, Maria/);

  const ev = await t.db.query(
    `select e.type, e.payload::text as p from evidence_events e join interactions i on i.id = e.interaction_id
      where i.provider_ref = $1 order by seq`,
    [params.CallSid],
  );
  const all = ev.rows.map((r) => r.p).join('\n');
  assert.ok(!all.includes('20500'), 'the verification value must not be in evidence');
  assert.match(all, /"passed": true/);
});

test('three failed verifications end in an offer of a person, never a dead end', async () => {
  const params = newCall('+13125550101');
  let res = await app.inject(signedForm('/twilio/voice', params));
  res = await app.inject(signedForm(gatherAction(res.body), { ...params, Digits: '100234' }));
  for (let i = 0; i < 2; i++) {
    res = await app.inject(signedForm(gatherAction(res.body), { ...params, Digits: '99999' }));
    assert.match(res.body, /does not match our records/);
  }
  res = await app.inject(signedForm(gatherAction(res.body), { ...params, Digits: '99999' }));
  assert.match(res.body, /To speak with a specialist, press 0/);
  res = await app.inject(signedForm(gatherAction(res.body), { ...params, Digits: '0' }));
  assert.match(res.body, /<Dial[^>]*><Conference[^>]*startConferenceOnEnter="false"[^>]*>transfer-CA/);
});

test('silence re-prompts, then offers a person; staying on the line, as the offer says, reaches one', async () => {
  const params = newCall('+12025550143');
  let res = await app.inject(signedForm('/twilio/voice', params));
  for (let i = 0; i < 2; i++) {
    res = await app.inject(signedForm(redirectUrl(res.body)!, params));
    assert.match(res.body, /did not hear anything/);
  }
  res = await app.inject(signedForm(redirectUrl(res.body)!, params));
  assert.match(res.body, /having trouble\. To speak with a specialist, press 0, or just stay on the line\./);
  res = await app.inject(signedForm(redirectUrl(res.body)!, params));
  assert.doesNotMatch(res.body, /Goodbye/);
  assert.match(res.body, /connect you to a specialist/);
  assert.match(res.body, /<Dial[^>]*><Conference[^>]*startConferenceOnEnter="false"[^>]*>transfer-CA/);
});

test('outside business hours, staying on the line after the offer of a person brings the callback offer', async () => {
  const params = newCall('+12025550143');
  let res = await closed.inject(signedForm('/twilio/voice', params));
  for (let i = 0; i < 3; i++) res = await closed.inject(signedForm(redirectUrl(res.body)!, params));
  assert.match(res.body, /having trouble/);
  res = await closed.inject(signedForm(redirectUrl(res.body)!, params));
  assert.match(res.body, /To have a specialist call you back/);
  assert.doesNotMatch(res.body, /Goodbye/);
});

test('in Spanish the offer of a person says the same as it does', async () => {
  const params = newCall('+12025550177');
  let res = await app.inject(signedForm('/twilio/voice', params));
  for (let i = 0; i < 3; i++) res = await app.inject(signedForm(redirectUrl(res.body)!, params));
  assert.match(res.body, /Parece que tenemos dificultades\. Para hablar con un especialista, oprima cero, o simplemente permanezca en la línea\./);
  res = await app.inject(signedForm(redirectUrl(res.body)!, params));
  assert.match(res.body, /<Dial[^>]*><Conference[^>]*startConferenceOnEnter="false"[^>]*>transfer-CA/);
});

describe('identification by policy number', () => {
  const identify = async (from: string, answer: Record<string, string>, zip = '20003') => {
    const params = newCall(from);
    const first = await app.inject(signedForm('/twilio/voice', params));
    const asked = await app.inject(signedForm(gatherAction(first.body), { ...params, ...answer }));
    if (!/For your security|Por su seguridad/.test(asked.body)) return { asked: asked.body, menu: '', params };
    const menu = await app.inject(signedForm(gatherAction(asked.body), { ...params, Digits: zip }));
    return { asked: asked.body, menu: menu.body, params };
  };

  test('a caller with two policies who keyed one number is not asked to choose a policy again', async () => {
    const { menu, params } = await identify('+13125550301', { Digits: '200874#' });
    assert.match(menu, /Thank you, James\./);
    assert.doesNotMatch(menu, /You have 2 policies/);
    assert.match(menu, /To pay your premium, press 1/);
    const due = await app.inject(signedForm(gatherAction(menu), { ...params, Digits: '2' }));
    assert.match(due.body, /Your premium of \$118\.20 (?:is|was) due on December 5/);
  });

  const spoken: [string, string][] = [
    ['H M A 200874', 'letters spaced'],
    ['HM-A-200874', 'as printed'],
    ['HMA 200874', 'letters run together'],
    ['h.m.a. 200874', 'letters with dots'],
    ['HMA 200,874', 'digits grouped'],
    ['H M dash A dash 200874', 'dash said'],
    ['HM hyphen A hyphen 2 0 0 8 7 4', 'hyphen said, digits spaced'],
    ['H M A two zero zero eight seven four', 'digit words'],
    ['h m a two oh oh eight seven four', 'oh for zero'],
    ['HMA 2 double 0 874', 'double'],
    ['my policy number is HMA 200874', 'in a sentence'],
  ];
  for (const [said, how] of spoken) {
    test(`a spoken policy number is recognised: ${how} ("${said}")`, async () => {
      const { asked } = await identify('+13125550302', { SpeechResult: said, Confidence: '0.8' });
      assert.match(asked, /For your security/);
    });
  }

  test('Spanish digit words and "guion" are recognised for a Spanish caller', async () => {
    const params = newCall('+13125550303');
    let res = await app.inject(signedForm('/twilio/voice', params));
    res = await app.inject(signedForm(gatherAction(res.body), { ...params, Digits: '8' }));
    assert.match(res.body, /marque su número de póliza/);
    res = await app.inject(signedForm(gatherAction(res.body), { ...params, SpeechResult: 'H M guion L guion uno cero cero cinco ocho siete', Confidence: '0.8' }));
    assert.match(res.body, /Por su seguridad/);
  });

  test('a spoken number that is not a policy is still not found', async () => {
    const { asked } = await identify('+13125550304', { SpeechResult: 'H M A two zero zero eight seven five', Confidence: '0.8' });
    assert.match(asked, /could not find that policy number/);
  });
});

test('the completed status callback ends the call; repeats and late callbacks change nothing', async () => {
  const params = newCall('+12025550143');
  await app.inject(signedForm('/twilio/voice', params));
  const status = { ...params, CallStatus: 'completed', SequenceNumber: '3', CallDuration: '42', Timestamp: 'Mon, 23 Nov 2026 18:00:00 +0000' };
  assert.equal((await app.inject(signedForm('/twilio/voice/status', status))).statusCode, 200);
  assert.equal((await app.inject(signedForm('/twilio/voice/status', status))).statusCode, 200);
  const late = { ...params, CallStatus: 'ringing', SequenceNumber: '1' };
  assert.equal((await app.inject(signedForm('/twilio/voice/status', late))).statusCode, 200);
  const { rows } = await t.db.query(
    `select s.status, s.snapshot->>'value' as state, i.ended_at, i.id from flow_sessions s join interactions i on i.id = s.interaction_id
      where i.provider_ref = $1`,
    [params.CallSid],
  );
  assert.equal(rows[0].status, 'done');
  assert.equal(rows[0].state, 'ended');
  assert.ok(rows[0].ended_at);
  const statuses = (await evidenceParts(t.db, 'e.interaction_id = $1', [rows[0].id])).filter((p) => p.type === 'call.status');
  assert.deepEqual(statuses.map((p) => p.payload.status), ['completed', 'ringing'], 'completed once, ringing once');
  assert.equal(new Date(statuses[0]!.providerTime!).toISOString(), '2026-11-23T18:00:00.000Z');
});

test('a status callback arriving before the call webhook: the call still starts, on the same interaction', async () => {
  const params = newCall('+12025550143');
  const early = { ...params, CallStatus: 'ringing', SequenceNumber: '0' };
  assert.equal((await app.inject(signedForm('/twilio/voice/status', early))).statusCode, 200);
  const res = await app.inject(signedForm('/twilio/voice', params));
  assert.match(res.body, /Hello Maria/);
  const { rows } = await t.db.query('select id from interactions where provider_ref = $1', [params.CallSid]);
  assert.equal(rows.length, 1);
  assert.deepEqual((await verifyChains(t.db, { interactionId: rows[0].id })).broken, []);
});

test('calls arriving together are looked up together and each is greeted as its own caller', async () => {
  // A number two policyholders share is asked for the policy number; a withheld or unknown one too.
  await seedPolicyholder(t.db, { firstName: 'Ana', phone: '+12025550188', policyNumber: 'HM-100881' });
  await seedPolicyholder(t.db, { firstName: 'Ben', phone: '+12025550188', policyNumber: 'HM-100882' });
  const froms = ['+12025550143', '+12025550177', '+12025550188', '+12025550199', 'anonymous', '+12025550143'];
  const answers = await Promise.all(froms.map((from) => app.inject(signedForm('/twilio/voice', newCall(from)))));
  assert.deepEqual(answers.map((a) => a.statusCode), froms.map(() => 200));
  const greeted = answers.map((a) => /Hello ([^,]+)|Hola ([^,]+)/.exec(a.body)?.slice(1).find(Boolean) ?? 'asked');
  assert.deepEqual(greeted, ['Maria', 'José', 'asked', 'asked', 'asked', 'Maria']);
  for (const a of answers.slice(2, 5)) assert.match(a.body, /policy number/i);
});
