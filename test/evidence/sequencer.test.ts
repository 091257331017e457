import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { openCheckpoint } from '../../src/evidence/checkpoint.js';
import { appendLeaves, rangeRoot } from '../../src/evidence/merkle/compact-range.js';
import { sequenceRound } from '../../src/evidence/log/sequence-round.js';
import { latestCheckpoint } from '../../src/evidence/log/tree-store.js';
import { startSequencer } from '../../src/evidence/sequencer.js';
import { systemClock } from '../../src/shared/clock.js';
import { createPool } from '../../src/db/pool.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { seedPolicyholder } from '../support/seed.js';
import { addEvents, dropWhenIdle, leafIndices, memoryAnchor, newInteraction, ORIGIN, sequenceAll, tamper, testSigner } from './support.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => dropWhenIdle(t));

const signer = testSigner();

/** The log as stored: leaf indices are exactly 0..n-1, every event once, and the latest checkpoint recomputes. */
const assertLogSound = async () => {
  const idx = await leafIndices(t.db);
  assert.deepEqual(idx, idx.map((_, i) => i), 'leaf indices are 0..n-1 exactly once');
  const { rows } = await t.db.query<{ events: number; leaves: number; queued: number }>(
    `select (select count(*)::int from evidence_events) as events,
            (select count(*)::int from evidence_log_leaves where kind = 'event') as leaves,
            (select count(*)::int from evidence_unsequenced) as queued`,
  );
  assert.equal(rows[0]!.leaves, rows[0]!.events, 'every event sequenced once');
  assert.equal(rows[0]!.queued, 0);
  const hashes = (await t.db.query<{ h: Buffer }>('select leaf_hash as h from evidence_log_leaves order by leaf_index')).rows;
  const range = appendLeaves({ size: 0, nodes: [] }, hashes.map((r) => r.h)).range;
  const cp = await latestCheckpoint(t.db);
  assert.equal(cp?.treeSize, idx.length);
  const opened = openCheckpoint(cp!.note, signer);
  assert.ok(opened.rootHash.equals(rangeRoot(range)), 'checkpoint root recomputes from the leaves');
  return idx.length;
};

test('a round numbers committed events, links policy interactions (earlier events too) and signs a checkpoint', async () => {
  const holder = await seedPolicyholder(t.db, { firstName: 'Ana', phone: '+12025550101', policyNumber: 'SEQ-1' });
  const call = await newInteraction(t.db, { policyholderId: null });
  await addEvents(t.db, systemClock, call, 3);
  await sequenceAll(t.db, systemClock);
  // identified mid-call: the next turn links the interaction, its earlier events join the policy chain
  await t.db.query('update interactions set policy_id = $1, policyholder_id = $2 where id = $3', [holder.policyId, holder.policyholderId, call]);
  await addEvents(t.db, systemClock, call, 2);
  const sms = await newInteraction(t.db, { kind: 'sms-thread', policyholderId: holder.policyholderId });
  await addEvents(t.db, systemClock, sms, 1);
  await sequenceAll(t.db, systemClock);
  const { rows } = await t.db.query(
    'select pseq, interaction_id, from_seq, to_seq from policy_chain_links where policy_id = $1 order by pseq',
    [holder.policyId],
  );
  assert.deepEqual(
    rows.map((r) => [r.pseq, r.interaction_id, r.from_seq, r.to_seq]).sort((a, b) => a[0] - b[0]),
    [[0, call < sms ? call : sms, 0, call < sms ? 4 : 0], [1, call < sms ? sms : call, 0, call < sms ? 0 : 4]],
  );
  await assertLogSound();
});

test('two sequencers racing while writers append, one killed mid-batch: indices 0..n-1 exactly once', async () => {
  const interactions = await Promise.all(Array.from({ length: 6 }, () => newInteraction(t.db)));
  const poolB = createPool(t.url, 4);
  let killed = 0;
  const errors: unknown[] = [];
  const common = {
    databaseUrl: t.url,
    clock: systemClock,
    signer,
    origin: ORIGIN,
    intervalMs: 20,
    batchSize: 40,
    onError: (e: unknown) => errors.push(e),
    // The first round to get this far, whichever process leads, dies: its connection is cut before commit.
    beforeCommit: async (c: pg.ClientBase) => {
      if (killed > 0) return;
      killed += 1;
      const { rows } = await c.query<{ pid: number }>('select pg_backend_pid() as pid');
      await poolB.query('select pg_terminate_backend($1)', [rows[0]!.pid]);
    },
  };
  const a = startSequencer({ ...common, anchor: memoryAnchor() });
  const b = startSequencer({ ...common, anchor: memoryAnchor() });
  const writers = interactions.map((id, i) => addEvents(t.db, systemClock, id, 30 + i));
  await Promise.all(writers);
  for (let i = 0; i < 200; i++) {
    const { rows } = await t.db.query<{ n: number }>('select count(*)::int as n from evidence_unsequenced');
    if (rows[0]!.n === 0 && killed > 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await Promise.all([a.stop(), b.stop()]);
  await poolB.end();
  assert.equal(killed, 1, 'one round was killed mid-batch');
  assert.ok(errors.length >= 1, 'the killed sequencer saw its round fail');
  await assertLogSound();
});

test('a late commit (older received time, committed after a round) is picked up by the next round', async () => {
  const id = await newInteraction(t.db);
  const c = new pg.Client({ connectionString: t.url });
  await c.connect();
  await c.query('begin');
  await c.query(
    `insert into evidence_events (id, interaction_id, seq, type, received_at, payload, prev_hash, hash)
     values (gen_random_uuid(), $1, 0, 'late', now() - interval '1 minute', '{}', $2, 'late-hash')`,
    [id, '0'.repeat(64)],
  );
  await addEvents(t.db, systemClock, await newInteraction(t.db), 2);
  await sequenceAll(t.db, systemClock);
  const before = await leafIndices(t.db);
  await c.query('commit');
  await c.end();
  await sequenceAll(t.db, systemClock);
  assert.equal((await leafIndices(t.db)).length, before.length + 1);
  await assertLogSound();
});

test('the sequencer refuses to sign when the stored tree no longer reproduces its last checkpoint', async () => {
  await addEvents(t.db, systemClock, await newInteraction(t.db), 1);
  await sequenceAll(t.db, systemClock);
  const cp = await latestCheckpoint(t.db);
  await tamper(t.db, `update evidence_tree_nodes set hash = sha256(hash) where level = 0 and idx = $1`, [cp!.treeSize - 1]);
  await addEvents(t.db, systemClock, await newInteraction(t.db), 1);
  const client = await t.db.connect();
  try {
    await assert.rejects(sequenceRound(client, { clock: systemClock, signer, origin: ORIGIN }), /refusing to sign/);
  } finally {
    client.release();
  }
  assert.equal((await latestCheckpoint(t.db))?.treeSize, cp!.treeSize, 'no new checkpoint');
});
