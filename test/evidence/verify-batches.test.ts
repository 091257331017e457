import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { verifyChains } from '../../src/evidence/verify-chains.js';
import { verifyLog } from '../../src/evidence/verify-log.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { seedPolicyholder } from '../support/seed.js';
import { addEvents, dropWhenIdle, newInteraction, sequenceAll, tamper, testSigner } from './support.js';

const signer = testSigner();
let t: TestDb;
let ids: string[];

// Seven interactions (every other one linked to a policy), tampered in several places, so that any
// batch size puts findings in different batches: the reports must not depend on where batches end.
before(async () => {
  t = await createTestDb();
  const holder = await seedPolicyholder(t.db, { firstName: 'Bat', phone: '+12025550152', policyNumber: 'BATCH-1' });
  ids = [];
  for (let k = 0; k < 7; k++) {
    const id = await newInteraction(t.db, k % 2 ? {} : { policyId: holder.policyId, policyholderId: holder.policyholderId });
    ids.push(id);
    await addEvents(t.db, systemClock, id, 2 + k);
  }
  await sequenceAll(t.db, systemClock);
  ids.sort();
  const eventOf = async (i: number, seq: number) =>
    (await t.db.query<{ id: string }>('select id from evidence_events where interaction_id = $1 and seq = $2', [ids[i], seq])).rows[0]!.id;
  await tamper(t.db, `update evidence_events set payload = '{"i": 1.50, "q": "a\\"b"}' where id = $1`, [await eventOf(1, 1)]);
  await tamper(t.db, `update evidence_events set type = E'tab\\there' where id = $1`, [await eventOf(4, 0)]);
  await tamper(t.db, 'delete from evidence_events where id = $1', [await eventOf(6, 7)]);
  await tamper(t.db, 'delete from evidence_log_leaves where leaf_index = 3');
  await tamper(t.db, `update policy_chain_links set head_hash = 'h' where pseq = 1`);
});
after(async () => dropWhenIdle(t));

test('chains: broken links are reported in interaction order whatever the batch size', async () => {
  const whole = await verifyChains(t.db);
  assert.deepEqual(
    whole.broken.map((b) => [ids.indexOf(b.interactionId), b.seq]),
    [[1, 1], [4, 0], [6, 7]],
  );
  assert.equal(whole.interactions, 7);
  for (const batchSize of [1, 2, 3, 5]) assert.deepEqual(await verifyChains(t.db, { batchSize }), whole, `batch ${batchSize}`);
  assert.deepEqual((await verifyChains(t.db, { interactionId: ids[4]! })).broken, [whole.broken[1]]);
});

test('log: findings are the same, in the same order, whatever the batch size', async () => {
  const whole = await verifyLog(t.db, signer);
  assert.ok(whole.findings.some((f) => /leaves 3\.\.3 are missing/.test(f.reason)), JSON.stringify(whole.findings));
  assert.ok(whole.findings.some((f) => /policy chain entry .*#1 was altered/.test(f.reason)), JSON.stringify(whole.findings));
  for (const batchSize of [1, 2, 4, 7]) assert.deepEqual(await verifyLog(t.db, signer, { batchSize }), whole, `batch ${batchSize}`);
});
