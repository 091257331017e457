import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { eventParts } from '../../src/evidence/turn-event.js';
import { verifyChains } from '../../src/evidence/verify-chains.js';
import { createCarrierSimulator, createScriptedInput, type CarrierSimulator } from '../../src/telephony/simulator/index.js';
import { buildTestApp, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PUBLIC_URL } from '../support/build-test-app.js';
import { seedPolicyholder, seedSpecialist } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
let app: FastifyInstance;
let sim: CarrierSimulator;
before(async () => {
  t = await createTestDb();
  ({ app } = await buildTestApp(t.db));
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  sim = createCarrierSimulator({
    gatewayUrl: `http://127.0.0.1:${port}`,
    publicBaseUrl: TEST_PUBLIC_URL,
    authToken: TEST_AUTH_TOKEN,
    accountSid: TEST_ACCOUNT_SID,
  });
  await seedPolicyholder(t.db, { firstName: 'Maria', phone: '+12025550143', policyNumber: 'HM-100234', zip: '20500' });
  await seedSpecialist(t.db, { name: 'Grace Holt', phone: '+15550100001' });
});
after(async () => {
  await app.close();
  await t.drop();
});

test('a known caller, end to end over HTTP: greeted by name, asks for a person, put on hold; the call is a valid chain', async () => {
  const call = await sim.placeCall({
    from: '+12025550143',
    to: '+18005550100',
    input: createScriptedInput([{ digits: '0' }, 'hangup']),
  });
  assert.deepEqual(call.errors, []);
  assert.match(call.said.join(' '), /Hello Maria/);
  assert.match(call.said.join(' '), /connect you to a specialist/);
  assert.equal(call.finalStatus, 'completed');

  const { rows } = await t.db.query('select id, ended_at from interactions where provider_ref = $1', [call.callSid]);
  assert.ok(rows[0].ended_at);
  const report = await verifyChains(t.db, { interactionId: rows[0].id });
  assert.deepEqual(report.broken, []);
  const events = (await t.db.query('select type, payload from evidence_events where interaction_id = $1 order by seq', [rows[0].id])).rows;
  const types = events.flatMap((e) => eventParts(e).map((p) => p.type));
  assert.ok(types.includes('ivr.input'));
  assert.equal(types.filter((x) => x === 'ivr.prompt').length >= 2, true);
  assert.ok(types.includes('call.status'));
});

test('an unknown caller who stays silent hears re-prompts, then the offer of a person, and is put on hold for one: never dead air', async () => {
  const call = await sim.placeCall({ from: '+13125550100', to: '+18005550100', input: createScriptedInput([], { whenExhausted: 'silence' }) });
  assert.deepEqual(call.errors, []);
  assert.match(call.said.join(' '), /did not hear anything/);
  assert.match(call.said.join(' '), /having trouble.*Please hold while we connect you to a specialist\.$/);
  assert.ok(call.events.some((e) => e.type === 'dial' && e.targets.some((x) => x.kind === 'conference')), 'on hold in a conference');
});
