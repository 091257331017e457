import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Worker } from 'bullmq';
import { verifyChains } from '../../src/evidence/verify-chains.js';
import { createOutboxDispatcher } from '../../src/jobs/dispatch-outbox.js';
import { createOutboxQueue, type OutboxQueue } from '../../src/jobs/outbox-queue.js';
import { startOutboxWorker, type OutboxHandlers } from '../../src/jobs/outbox-worker.js';
import { systemClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { createTestRedis } from '../support/test-redis.js';

let t: TestDb;
let queue: OutboxQueue;
let worker: Worker | undefined;
const redis = createTestRedis();
before(async () => {
  t = await createTestDb();
  queue = createOutboxQueue(redis.connection, redis.prefix);
});
after(async () => {
  await worker?.close();
  await queue.close();
  await redis.cleanup();
  await t.drop();
});

const silent = { warn: () => undefined, error: () => undefined };

test('a job its handler defers waits in BullMQ and runs again then: the row stays open meanwhile, its run_at and evidence say until when', async () => {
  const call = newId();
  await t.db.query(`insert into interactions (id, kind, started_at) values ($1, 'call', now())`, [call]);
  const id = newId();
  await t.db.query(`insert into outbox (id, topic, payload, interaction_id, run_at, created_at) values ($1, 'test.defer', '{}', $2, now(), now())`, [id, call]);
  const runs: number[] = [];
  let until: Date | undefined;
  let seenOpen: { completed_at: Date | null; run_at: Date } | undefined;
  const handlers: OutboxHandlers = {
    'test.defer': async () => {
      runs.push(Date.now());
      if (runs.length === 1) {
        until = new Date(Date.now() + 600);
        return { deferUntil: until, evidence: [{ type: 'contact.deferred', payload: { until: until.toISOString(), reason: 'quiet-hours' } }] };
      }
      seenOpen = (await t.db.query('select completed_at, run_at from outbox where id = $1', [id])).rows[0];
      return { evidence: [{ type: 'outbound.sent', payload: { to: '+12025550143' } }] };
    },
  };
  worker = startOutboxWorker({ db: t.db, clock: systemClock, handlers, log: silent }, redis.connection, redis.prefix, 2);
  await createOutboxDispatcher({ db: t.db, queue, clock: systemClock, log: silent }).send([{ id, topic: 'test.defer', payload: {}, runAt: new Date() }]);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !(await t.db.query('select completed_at from outbox where id = $1', [id])).rows[0].completed_at) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(runs.length, 2, 'the handler ran twice: deferred, then done');
  assert.ok(runs[1]! >= until!.getTime() - 5, `the second run came ${runs[1]! - until!.getTime()} ms after the deferral time`);
  assert.equal(seenOpen?.completed_at, null);
  assert.equal(seenOpen?.run_at.getTime(), until!.getTime());
  const events = (await t.db.query('select type from evidence_events where interaction_id = $1 order by seq', [call])).rows.map((r) => r.type);
  assert.deepEqual(events, ['contact.deferred', 'outbound.completed', 'outbound.sent']);
  assert.deepEqual((await verifyChains(t.db, { interactionId: call })).broken, []);
  const job = await queue.getJob(id);
  assert.equal(await job?.getState(), 'completed');
});
