import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { appendEvidence } from '../src/evidence/append-evidence.js';
import { verifyChains } from '../src/evidence/verify-chains.js';
import { systemClock } from '../src/shared/clock.js';
import { newId } from '../src/shared/ids.js';
import { createTestDb, type TestDb } from './support/test-db.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const newInteraction = async () => {
  const id = newId();
  await t.db.query(`insert into interactions (id, kind, started_at) values ($1, 'system', now())`, [id]);
  return id;
};

/** Tamper as a superuser would: with triggers off for this session only. */
const tamper = async (sql: string, params: unknown[]) => {
  const c = await t.db.connect();
  try {
    await c.query(`set session_replication_role = replica`);
    await c.query(sql, params);
  } finally {
    await c.query(`set session_replication_role = origin`);
    c.release();
  }
};

const seedChain = async () => {
  const id = await newInteraction();
  await appendEvidence(t.db, systemClock, id, [
    { type: 'webhook.received', payload: { From: '+12025550143', nested: { b: 2, a: 1 }, text: 'héllo \u0000 😀' } },
    { type: 'ivr.prompt', payload: { say: ['Hi Maria'], amount: 12.5 }, providerRef: 'CA1', providerTime: new Date() },
  ]);
  await appendEvidence(t.db, systemClock, id, [{ type: 'call.status', payload: { CallStatus: 'completed' } }]);
  const { rows } = await t.db.query('select id, seq from evidence_events where interaction_id = $1 order by seq', [id]);
  return { id, events: rows as { id: string; seq: number }[] };
};

test('chains read back from Postgres verify, whatever jsonb did to key order and text', async () => {
  const { id } = await seedChain();
  const report = await verifyChains(t.db, { interactionId: id });
  assert.deepEqual(report.broken, []);
  assert.equal(report.events, 3);
});

test('concurrent appends to one interaction never fork the chain', async () => {
  const id = await newInteraction();
  await Promise.all(
    Array.from({ length: 15 }, (_, i) => appendEvidence(t.db, systemClock, id, [{ type: 'call.status', payload: { i } }])),
  );
  const report = await verifyChains(t.db, { interactionId: id });
  assert.deepEqual(report.broken, []);
  assert.equal(report.events, 15);
});

test('an edited event is named', async () => {
  const { id, events } = await seedChain();
  await tamper(`update evidence_events set payload = jsonb_set(payload, '{say,0}', '"Hi Mario"') where id = $1`, [events[1]!.id]);
  const report = await verifyChains(t.db);
  const broken = report.broken.find((b) => b.interactionId === id);
  assert.equal(broken?.eventId, events[1]!.id);
  assert.equal(broken?.seq, 1);
  assert.match(broken!.reason, /altered/);
});

test('a deleted middle event and a deleted tail are both caught', async () => {
  const a = await seedChain();
  await tamper('delete from evidence_events where id = $1', [a.events[1]!.id]);
  const b = await seedChain();
  await tamper('delete from evidence_events where id = $1', [b.events[2]!.id]);
  const report = await verifyChains(t.db);
  const ba = report.broken.find((x) => x.interactionId === a.id);
  assert.equal(ba?.eventId, a.events[2]!.id);
  assert.match(ba!.reason, /missing/);
  const bb = report.broken.find((x) => x.interactionId === b.id);
  assert.match(bb!.reason, /tail was removed/);
});

test('a re-timestamped event is caught', async () => {
  const { id, events } = await seedChain();
  await tamper(`update evidence_events set received_at = received_at - interval '1 hour' where id = $1`, [events[0]!.id]);
  const report = await verifyChains(t.db, { interactionId: id });
  assert.equal(report.broken[0]?.eventId, events[0]!.id);
});
