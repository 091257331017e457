import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createOutboxDispatcher } from '../../src/jobs/dispatch-outbox.js';
import { createOutboxQueue, type OutboxQueue } from '../../src/jobs/outbox-queue.js';
import { recoverLostJobs } from '../../src/jobs/recover-lost-jobs.js';
import { systemClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { createTestRedis } from '../support/test-redis.js';

let t: TestDb;
let queue: OutboxQueue;
const redis = createTestRedis();
before(async () => {
  t = await createTestDb();
  queue = createOutboxQueue(redis.connection, redis.prefix);
});
after(async () => {
  await queue.close();
  await redis.cleanup();
  await t.drop();
});

const row = async (o: { dispatchedAgoMs: number | null; dueAgoMs: number; completed?: boolean }) => {
  const id = newId();
  await t.db.query(
    `insert into outbox (id, topic, payload, run_at, created_at, dispatched_at, completed_at)
     values ($1, 'sms.send', '{"to":"+12025550143","body":"hi"}', now() - $2 * interval '1 millisecond', now() - interval '1 hour',
             case when $3::int is null then null else now() - $3 * interval '1 millisecond' end, case when $4 then now() end)`,
    [id, o.dueAgoMs, o.dispatchedAgoMs, o.completed ?? false],
  );
  return id;
};

test('a dispatched row whose BullMQ job is gone is dispatched again; rows with a job, completed, recent or undispatched are left alone', async () => {
  const dispatcher = createOutboxDispatcher({ db: t.db, queue, clock: systemClock, log: { warn: () => undefined } });
  const lost = await row({ dispatchedAgoMs: 120_000, dueAgoMs: 120_000 });
  const queued = await row({ dispatchedAgoMs: 120_000, dueAgoMs: 120_000 });
  await queue.add('sms.send', { outboxId: queued }, { jobId: queued, delay: 60_000 });
  const completed = await row({ dispatchedAgoMs: 120_000, dueAgoMs: 120_000, completed: true });
  const recent = await row({ dispatchedAgoMs: 1_000, dueAgoMs: 1_000 });
  const undispatched = await row({ dispatchedAgoMs: null, dueAgoMs: 120_000 });
  const dayOld = await row({ dispatchedAgoMs: 25 * 3_600_000, dueAgoMs: 25 * 3_600_000 });
  const n = await recoverLostJobs({ db: t.db, queue, dispatcher }, { before: new Date(Date.now() - 60_000) });
  assert.equal(n, 1);
  assert.ok(await queue.getJob(lost), 'the lost row has a job again');
  for (const id of [completed, recent, undispatched, dayOld]) assert.equal(await queue.getJob(id), undefined, id);
  assert.equal(await recoverLostJobs({ db: t.db, queue, dispatcher }, { before: new Date(Date.now() - 60_000) }), 0, 'a second pass finds nothing lost');
});
