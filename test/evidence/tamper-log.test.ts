import assert from 'node:assert/strict';
import { after, beforeEach, test } from 'node:test';
import { signCheckpoint } from '../../src/evidence/checkpoint.js';
import { latestCheckpoint } from '../../src/evidence/log/tree-store.js';
import { hashEvent } from '../../src/evidence/hash-chain.js';
import { verifyChains } from '../../src/evidence/verify-chains.js';
import { verifyLog } from '../../src/evidence/verify-log.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { seedPolicyholder } from '../support/seed.js';
import { addEvents, dropWhenIdle, newInteraction, ORIGIN, sequenceAll, tamper, testSigner } from './support.js';

const signer = testSigner();
const dbs: TestDb[] = [];
let t: TestDb;
let events: { id: string; seq: number; interaction_id: string }[];

// Each case tampers with a fresh, sequenced log of two interactions (one linked to a policy).
beforeEach(async () => {
  t = await createTestDb();
  dbs.push(t);
  const holder = await seedPolicyholder(t.db, { firstName: 'Tam', phone: '+12025550150', policyNumber: `TMP-${dbs.length}` });
  const a = await newInteraction(t.db, { policyId: holder.policyId, policyholderId: holder.policyholderId });
  const b = await newInteraction(t.db);
  await addEvents(t.db, systemClock, a, 4);
  await addEvents(t.db, systemClock, b, 3);
  await sequenceAll(t.db, systemClock);
  events = (await t.db.query('select id, seq, interaction_id from evidence_events where interaction_id = $1 order by seq', [a])).rows;
  const clean = await verifyLog(t.db, signer);
  assert.deepEqual(clean.findings, []);
});
after(async () => {
  for (const d of dbs) await dropWhenIdle(d);
});

const findingsFor = async (saved: { source: string; note: string }[] = []) => (await verifyLog(t.db, signer, { saved })).findings;

test('an edited event is named by verify (chain and log)', async () => {
  const e = events[1]!;
  await tamper(t.db, `update evidence_events set payload = '{"i": 99}' where id = $1`, [e.id]);
  assert.equal((await verifyChains(t.db)).broken[0]?.eventId, e.id);
  // the chain's stored hash still matches the leaf: the content check is the chain's, named above
  const rehashed = `update evidence_events set hash = repeat('a', 64) where id = $1`;
  await tamper(t.db, rehashed, [e.id]);
  const f = await findingsFor();
  assert.ok(f.some((x) => x.eventId === e.id && /edited or reordered/.test(x.reason)), JSON.stringify(f));
});

test('a deleted event is named', async () => {
  const e = events[2]!;
  await tamper(t.db, 'delete from evidence_events where id = $1', [e.id]);
  const f = await findingsFor();
  assert.ok(f.some((x) => x.eventId === e.id && /missing/.test(x.reason)), JSON.stringify(f));
  assert.ok((await verifyChains(t.db)).broken.some((b) => b.interactionId === e.interaction_id));
});

test('reordered events and reordered leaves are named', async () => {
  const [x, y] = [events[0]!, events[1]!];
  await tamper(t.db, 'update evidence_events set seq = case when id = $1 then $3::int else $4::int end where id in ($1, $2)', [x.id, y.id, 100, 101]);
  await tamper(t.db, 'update evidence_events set seq = case when seq = 100 then 1 else 0 end where seq in (100, 101)');
  let f = await findingsFor();
  assert.ok(f.some((z) => z.eventId === x.id) && f.some((z) => z.eventId === y.id), JSON.stringify(f));
  await tamper(t.db, 'update evidence_events set seq = case when seq = 1 then 100 else 101 end where id in ($1, $2)', [x.id, y.id]);
  await tamper(t.db, 'update evidence_events set seq = case when seq = 100 then 0 else 1 end where seq in (100, 101)');
  assert.deepEqual(await findingsFor(), [], 'restored');
  await tamper(t.db, 'update evidence_log_leaves set leaf_index = leaf_index + 1000 where leaf_index in (0, 1)');
  await tamper(t.db, 'update evidence_log_leaves set leaf_index = case leaf_index when 1000 then 1 else 0 end where leaf_index >= 1000');
  f = await findingsFor();
  assert.ok(f.some((z) => z.leafIndex === 0 && /stored when it was sequenced/.test(z.reason)), JSON.stringify(f));
  assert.ok(f.some((z) => z.leafIndex === 1), JSON.stringify(f));
});

test('an event or a leaf inserted behind the gateway is named', async () => {
  await tamper(
    t.db,
    `insert into evidence_events (id, interaction_id, seq, type, received_at, payload, prev_hash, hash)
     values ('00000000-0000-7000-8000-0000000000aa', $1, 50, 'forged', now(), '{}', 'x', 'forged-hash')`,
    [events[0]!.interaction_id],
  );
  await tamper(t.db, `insert into evidence_log_leaves values (999, 'policy-link', null, sha256('x'), now())`);
  const f = await findingsFor();
  assert.ok(f.some((z) => z.eventId === '00000000-0000-7000-8000-0000000000aa' && /bypassing/.test(z.reason)), JSON.stringify(f));
  assert.ok(f.some((z) => /not covered by any signed checkpoint/.test(z.reason)), JSON.stringify(f));
});

test('a fork (another signed root for a size already signed) is caught against a saved checkpoint', async () => {
  const cp = await latestCheckpoint(t.db);
  const forked = signCheckpoint({ origin: ORIGIN, size: cp!.treeSize, rootHash: Buffer.alloc(32, 7) }, signer);
  const f = await findingsFor([{ source: 'recipient copy', note: forked }, { source: 'anchor', note: cp!.note }]);
  assert.equal(f.length, 1);
  assert.match(f[0]!.reason, /FORK: saved checkpoint from recipient copy/);
});

test('a checkpoint rewritten in the database fails its signature', async () => {
  const cp = await latestCheckpoint(t.db);
  await tamper(t.db, 'update evidence_checkpoints set note = replace(note, $1, $2) where tree_size = $3', [
    `\n${cp!.treeSize}\n`, `\n${cp!.treeSize}\n `, cp!.treeSize,
  ]);
  const f = await findingsFor();
  assert.ok(f.some((z) => new RegExp(`checkpoint of size ${cp!.treeSize}`).test(z.reason)), JSON.stringify(f));
});

test('an event whose interaction does not exist is named by verify, even when sequenced like any other', async () => {
  const ghost = '00000000-0000-7000-8000-0000000000bb';
  // Through the normal insert path (the trigger queues it), so the sequencer logs it and the log alone cannot tell.
  await t.db.query(
    `insert into evidence_events (id, interaction_id, seq, type, received_at, payload, prev_hash, hash)
     values ('00000000-0000-7000-8000-0000000000cc', $1, 0, 'forged', now(), '{}', $2, 'forged-hash')`,
    [ghost, '0'.repeat(64)],
  );
  await sequenceAll(t.db, systemClock);
  const report = await verifyChains(t.db);
  assert.deepEqual(
    report.broken.map((b) => [b.interactionId, b.eventId, /no recorded interaction/.test(b.reason)]),
    [[ghost, '00000000-0000-7000-8000-0000000000cc', true]],
  );
});

test('a rewritten interaction chain is named by its events, and checkpoints saved before it are not called forks', async () => {
  const b = (await t.db.query<{ interaction_id: string }>('select interaction_id from evidence_events where interaction_id <> $1 limit 1', [events[0]!.interaction_id])).rows[0]!.interaction_id;
  for (let i = 0; i < 6; i++) {
    await addEvents(t.db, systemClock, b, 1);
    await sequenceAll(t.db, systemClock);
  }
  const anchors = (await t.db.query<{ note: string; tree_size: number }>('select note, tree_size from evidence_checkpoints order by tree_size')).rows
    .map((c) => ({ source: `anchor ${c.tree_size}`, note: c.note }));
  assert.ok(anchors.length >= 7);
  // Rewrite interaction a from seq 1 on, re-hashing the rest of its chain so the chain itself still checks out.
  const rows = (await t.db.query('select * from evidence_events where interaction_id = $1 order by seq', [events[0]!.interaction_id])).rows;
  let prev = rows[0].hash as string;
  for (const r of rows.slice(1)) {
    const payload = r.seq === 1 ? { i: 1, amountCents: 1 } : r.payload;
    const hash = hashEvent(prev, { interactionId: r.interaction_id, seq: r.seq, type: r.type, schemaVersion: r.schema_version, providerRef: r.provider_ref, providerTime: r.provider_time, receivedAt: r.received_at, payload });
    await tamper(t.db, 'update evidence_events set payload = $2, prev_hash = $3, hash = $4 where id = $1', [r.id, payload, prev, hash]);
    prev = hash;
  }
  await tamper(t.db, 'update interactions set evidence_head = $2 where id = $1', [events[0]!.interaction_id, prev]);
  assert.deepEqual((await verifyChains(t.db)).broken.map((x) => x.reason), [], 'the rewrite is consistent within its chain');
  const f = await findingsFor(anchors);
  for (const r of rows.slice(1)) assert.ok(f.some((x) => x.eventId === r.id && /edited or reordered/.test(x.reason)), `event ${r.id} named: ${JSON.stringify(f)}`);
  assert.ok(!f.some((x) => /FORK/.test(x.reason)), JSON.stringify(f.filter((x) => /FORK/.test(x.reason))));
  assert.equal(f.filter((x) => /checkpoint/.test(x.reason)).length, 1, 'one finding for the signed checkpoints the rewrite broke');
});
