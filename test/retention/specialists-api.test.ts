import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import { findCandidates, findNextOpening } from '../../src/retention/find-candidates.js';
import { markOffered } from '../../src/retention/mark-offered.js';
import { specialistsRoutes } from '../../src/retention/specialists.routes.js';
import { parseBusinessHours } from '../../src/shared/business-hours.js';
import { createManualClock } from '../../src/shared/clock.js';
import { buildTestApp } from '../support/build-test-app.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

/** Wednesday 2026-12-02 15:00Z: 10:00 in New York, 09:00 in Chicago. */
const clock = createManualClock('2026-12-02T15:00:00Z');
const businessHours = parseBusinessHours('America/New_York Mon-Fri 08:00-20:00');
let t: TestDb;
let app: FastifyInstance;
const tokens = { operator: '', compliance: '', unbound: '', ana: '', bob: '' };
const ids = { ana: '', bob: '' };

type Json = Record<string, unknown>;
const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string | null, body?: unknown) => app.inject({
  method, url, ...(body === undefined ? {} : { payload: body as object }), headers: token === null ? {} : { authorization: `Bearer ${token}` },
});
const create = async (body: Json) => {
  const res = await call('POST', '/api/specialists', tokens.operator, body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as Json & { id: string };
};

before(async () => {
  t = await createTestDb();
  ({ app } = await buildTestApp(t.db, { clock, businessHours, plugins: [specialistsRoutes({ db: t.db, clock, homeZone: 'America/New_York' })] }));
  tokens.operator = (await createApiToken(t.db, clock, { name: 'ops', role: 'operator' })).token;
  tokens.compliance = (await createApiToken(t.db, clock, { name: 'audit', role: 'compliance' })).token;
  tokens.unbound = (await createApiToken(t.db, clock, { name: 'nobody', role: 'specialist' })).token;
  ids.ana = (await create({ name: 'Ana Ruiz', phone: '+15550100002', languages: ['es-US', 'en-US'], timeZone: 'America/Chicago', workingHours: { wed: [['09:00', '17:00']] } })).id;
  ids.bob = (await create({ name: 'Bob Lee', phone: '+15550100001', languages: ['en-US'] })).id;
  tokens.ana = (await createApiToken(t.db, clock, { name: 'ana', role: 'specialist', specialistId: ids.ana })).token;
  tokens.bob = (await createApiToken(t.db, clock, { name: 'bob', role: 'specialist', specialistId: ids.bob })).token;
});
after(async () => {
  await app.close();
  await t.drop();
});

test('401 without a token or with an unknown one, 403 for a role that may not, each with its reason', async () => {
  const none = await call('GET', '/api/specialists', null);
  assert.deepEqual([none.statusCode, none.json().error], [401, 'RET_UNAUTHENTICATED']);
  assert.match(none.json().message, /bearer token is required/);
  assert.equal((await call('GET', '/api/specialists', 'gwk_nope')).statusCode, 401);
  const compliance = await call('GET', '/api/specialists', tokens.compliance);
  assert.deepEqual([compliance.statusCode, compliance.json().message], [403, 'role compliance may not list specialists (operator or specialist only)']);
  const byBob = await call('POST', '/api/specialists', tokens.bob, { name: 'X', phone: '+15550100003', languages: ['en-US'] });
  assert.deepEqual([byBob.statusCode, byBob.json().error, byBob.json().message], [403, 'RET_FORBIDDEN', 'role specialist may not add specialists (operator only)']);
  assert.equal((await call('PUT', `/api/specialists/${ids.bob}/availability`, null, { state: 'available' })).statusCode, 401);
});

test('the list: operators and specialists see the team with its availability, by name', async () => {
  for (const token of [tokens.operator, tokens.bob]) {
    const res = await call('GET', '/api/specialists', token);
    assert.equal(res.statusCode, 200);
    const list = res.json().specialists as Json[];
    assert.deepEqual(list.map((s) => [s.name, s.availability, s.languages, s.timeZone]), [
      ['Ana Ruiz', 'away', ['es-US', 'en-US'], 'America/Chicago'],
      ['Bob Lee', 'away', ['en-US'], 'America/New_York'],
    ]);
    assert.deepEqual(list[0]!.workingHours, { wed: [['09:00', '17:00']] });
    assert.equal(list[1]!.workingHours, null);
  }
});

test('create: 201 with the row; 400 naming every bad field and why, nothing added', async () => {
  const res = await call('POST', '/api/specialists', tokens.operator, {
    name: ' ', phone: '2025550188', email: 'nope', languages: ['fr-FR'], timeZone: 'Mars/Olympus', workingHours: { mon: [['17:00', '09:00']] }, extra: 1,
  });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error, 'RET_BAD_REQUEST');
  const reasons = res.json().message as string;
  for (const r of [/name: name is empty/, /phone: phone must be an E\.164 number/, /email: email is not an e-mail address/,
    /languages\.0: a language must be one of en-US, es-US/, /timeZone: timeZone must be an IANA time zone/,
    /workingHours\.mon\.0: a window must end after it starts/, /body: unknown field "extra"/]) assert.match(reasons, r);
  assert.match((await call('POST', '/api/specialists', tokens.operator, { name: 'X', phone: '+1555', languages: [] })).json().message,
    /phone: phone must be an E\.164 number.*languages: languages must list at least one/);
  assert.match((await call('POST', '/api/specialists', tokens.operator, { name: 'X', phone: '+15550100', languages: ['en-US', 'en-US'] })).json().message,
    /phone is not a possible number.*languages lists a language twice/);
  assert.equal((await call('GET', '/api/specialists', tokens.operator)).json().specialists.length, 2);
});

test('availability: a specialist sets their own, an operator anyone\'s; others 403, unknown 404, bad state 400', async () => {
  const own = await call('PUT', `/api/specialists/${ids.bob}/availability`, tokens.bob, { state: 'available' });
  assert.equal(own.statusCode, 200);
  assert.deepEqual(own.json(), { id: ids.bob, previous: 'away', state: 'available', changed: true, changedAt: '2026-12-02T15:00:00.000Z' });
  const again = await call('PUT', `/api/specialists/${ids.bob.toUpperCase()}/availability`, tokens.bob, { state: 'available' });
  assert.deepEqual([again.json().changed, again.json().previous], [false, 'available']);

  const other = await call('PUT', `/api/specialists/${ids.ana}/availability`, tokens.bob, { state: 'busy' });
  assert.deepEqual([other.statusCode, other.json().error], [403, 'RET_FORBIDDEN']);
  assert.match(other.json().message, /a specialist changes only their own availability/);
  const unbound = await call('PUT', `/api/specialists/${ids.ana}/availability`, tokens.unbound, { state: 'busy' });
  assert.match(unbound.json().message, /bound to no specialist/);
  assert.equal((await call('PUT', `/api/specialists/${ids.ana}/availability`, tokens.compliance, { state: 'busy' })).statusCode, 403);

  const missing = await call('PUT', '/api/specialists/00000000-0000-7000-8000-000000000000/availability', tokens.operator, { state: 'busy' });
  assert.deepEqual([missing.statusCode, missing.json().error], [404, 'RET_NOT_FOUND']);
  const bad = await call('PUT', `/api/specialists/${ids.ana}/availability`, tokens.ana, { state: 'asleep' });
  assert.deepEqual([bad.statusCode, bad.json().message], [400, 'state: state must be one of available, busy, away']);
  assert.equal((await call('PUT', '/api/specialists/not-a-uuid/availability', tokens.operator, { state: 'busy' })).statusCode, 400);

  clock.advance(60_000);
  const byOps = await call('PUT', `/api/specialists/${ids.ana}/availability`, tokens.operator, { state: 'available' });
  assert.deepEqual([byOps.statusCode, byOps.json().previous, byOps.json().state], [200, 'away', 'available']);

  // Each change is evidence on the specialist's own chain: from, to, and who (never the token itself).
  const { rows } = await t.db.query<{ ref: string; payload: Json }>(
    `select i.provider_ref as ref, e.payload from evidence_events e join interactions i on i.id = e.interaction_id
     where e.type = 'specialist.availability-changed' order by e.received_at`);
  assert.deepEqual(rows.map((r) => [r.ref, r.payload.from, r.payload.to, (r.payload.actor as Json).name, (r.payload.actor as Json).role]), [
    [`specialist-availability:${ids.bob}`, 'away', 'available', 'bob', 'specialist'],
    [`specialist-availability:${ids.ana}`, 'away', 'available', 'ops', 'operator'],
  ]);
  assert.ok(!JSON.stringify(rows).includes(tokens.bob));
});

test('me: a bound specialist token reads its own record; unbound tokens and operators are refused', async () => {
  const me = await call('GET', '/api/specialists/me', tokens.ana);
  assert.deepEqual([me.statusCode, me.json().id, me.json().name], [200, ids.ana, 'Ana Ruiz']);
  const unbound = await call('GET', '/api/specialists/me', tokens.unbound);
  assert.deepEqual([unbound.statusCode, unbound.json().error], [403, 'RET_FORBIDDEN']);
  assert.equal((await call('GET', '/api/specialists/me', tokens.operator)).statusCode, 403);
  assert.equal((await call('GET', '/api/specialists/me', null)).statusCode, 401);
});

test('candidates for a Spanish caller: Spanish speakers first, then the rest; rotation by last offer; hours in each zone', async () => {
  const carla = await create({ name: 'Carla Díaz', phone: '+15550100004', languages: ['es-US'], availability: 'available', workingHours: { wed: [['00:00', '24:00']] } });
  await create({ name: 'Away Speaker', phone: '+15550100005', languages: ['es-US'] });
  const order = async (locale: string, tried: string[] = []) =>
    (await findCandidates(t.db, { callerLocale: locale, now: clock.now(), tried, defaultHours: businessHours })).map((s) => s.name);
  assert.deepEqual(await order('es-US'), ['Ana Ruiz', 'Carla Díaz', 'Bob Lee']);
  assert.deepEqual(await order('en-US'), ['Ana Ruiz', 'Bob Lee', 'Carla Díaz']);
  assert.ok(await markOffered(t.db, ids.ana, clock.now()));
  assert.deepEqual(await order('es-US'), ['Carla Díaz', 'Ana Ruiz', 'Bob Lee']);
  assert.deepEqual(await order('es-US', [carla.id]), ['Ana Ruiz', 'Bob Lee']);
  // 04:30Z is still Wednesday in New York (23:30) and Chicago (22:30): Ana's hours and the business hours (Bob's) are over,
  // Carla works all Wednesday in New York; an hour later it is Thursday there and no one is in hours.
  clock.set('2026-12-03T04:30:00Z');
  assert.deepEqual(await order('es-US'), ['Carla Díaz']);
  clock.set('2026-12-03T05:30:00Z');
  assert.deepEqual(await order('es-US'), []);
  // The next start of hours: the business hours (Bob's), Thursday 08:00 in New York.
  assert.deepEqual(await findNextOpening(t.db, { now: clock.now(), defaultHours: businessHours }), { servingNow: false, nextOpening: new Date('2026-12-03T13:00:00Z') });
});
