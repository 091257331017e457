import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import { signIn } from '../../src/console/sign-in.js';
import { seedPolicyholder } from '../support/seed.js';
import { PASSWORD, startConsoleServer } from './console-server.js';

type Entry = { type: string; receivedAt: string; actor: { name: string; id: string } | null; action: string | null; policyNumber: string | null; details: Record<string, unknown> };

let server: Awaited<ReturnType<typeof startConsoleServer>>;
const tokens: Record<string, { id: string; token: string }> = {};

/** A token holder reads two policies' evidence an hour apart; the compliance user signs in once wrongly, once rightly. */
before(async () => {
  server = await startConsoleServer();
  const { t, clock } = server;
  for (const role of ['compliance', 'specialist'] as const) tokens[role] = await createApiToken(t.db, clock, { name: `${role}-robot`, role });
  await seedPolicyholder(t.db, { firstName: 'Ana', phone: '+12025550177', policyNumber: 'AL-1' });
  await seedPolicyholder(t.db, { firstName: 'Ben', phone: '+12025550178', policyNumber: 'AL-2' });
  const get = (url: string) => server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens.compliance!.token}` } });
  assert.equal((await get('/api/compliance/policies/AL-1/timeline?from=2026-12-01&to=2026-12-31')).statusCode, 200);
  clock.advance(3_600_000);
  assert.equal((await get('/api/compliance/interactions?policy=AL-2')).statusCode, 200);
  await signIn(t.db, clock, { username: 'compliance', password: 'not it', ip: '10.0.0.9', userAgent: 'test' });
  await signIn(t.db, clock, { username: 'compliance', password: PASSWORD, ip: '10.0.0.9', userAgent: 'test' });
});
after(async () => server?.close());

const log = async (query = '', token = tokens.compliance!.token) => {
  const res = await server.app.inject({ method: 'GET', url: `/api/compliance/access-log${query}`, headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.statusCode, body: res.json() as { entries: Entry[]; message?: string } };
};

test('no token is 401, another role 403, and neither reads anything', async () => {
  assert.equal((await log('', '')).status, 401);
  const other = await log('', tokens.specialist!.token);
  assert.equal(other.status, 403);
  assert.match(other.body.message!, /role specialist may not read evidence/);
});

test('newest first: reads with what they read, the refused and the good sign-in; reading the log is itself recorded', async () => {
  const { status, body } = await log();
  assert.equal(status, 200);
  const seen = body.entries.map((e) => [e.type, e.action, e.actor?.name, e.policyNumber]);
  assert.deepEqual(seen.slice(0, 4), [
    ['console.sign-in', 'sign-in', 'compliance', null],
    ['console.sign-in-refused', 'sign-in', 'compliance', null],
    ['evidence.accessed', 'search', 'compliance-robot', 'AL-2'],
    ['evidence.accessed', 'timeline', 'compliance-robot', 'AL-1'],
  ]);
  assert.equal(body.entries[1]!.details.why, 'wrong password');
  assert.equal(body.entries[1]!.details.ip, '10.0.0.9');
  assert.deepEqual(body.entries[2]!.details.query, { policy: 'AL-2' });
  const times = body.entries.map((e) => e.receivedAt);
  assert.deepEqual(times, [...times].sort().reverse());
  const next = await log();
  assert.deepEqual([next.body.entries[0]!.action, next.body.entries[0]!.actor?.name], ['access-log', 'compliance-robot']);
});

test('filters: by policy, by a part of the actor\'s name or its id, by window; bad queries are 400s', async () => {
  assert.deepEqual((await log('?policy=AL-1')).body.entries.map((e) => [e.action, e.policyNumber]), [['timeline', 'AL-1']]);
  assert.deepEqual((await log('?policy=NOPE')).body.entries, []);
  const robot = (await log('?actor=ROBOT')).body.entries;
  assert.ok(robot.length >= 2 && robot.every((e) => e.actor?.name === 'compliance-robot'));
  assert.deepEqual((await log(`?actor=${tokens.compliance!.id}`)).body.entries.length, robot.length + 1);
  const early = (await log('?to=2026-12-03T15:30:00Z')).body.entries;
  assert.deepEqual(early.map((e) => e.action), ['timeline']);
  assert.equal((await log('?limit=1')).body.entries.length, 1);
  for (const bad of ['?from=2026-12-05&to=2026-12-01', '?limit=0', '?limit=5000', '?from=yesterday']) assert.equal((await log(bad)).status, 400, bad);
});
