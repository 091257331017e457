import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { appendEvidence } from '../../src/evidence/append-evidence.js';
import { verifyChains } from '../../src/evidence/verify-chains.js';
import { z } from 'zod';
import { defineJob } from '../../src/jobs/job-definition.js';
import { outboxRow, type OutboxRow } from '../../src/jobs/outbox-rows.js';
import { processOutboxJob, type OutboxHandlers } from '../../src/jobs/outbox-worker.js';
import { relayOutbox } from '../../src/jobs/relay-outbox.js';
import { systemClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const newCall = async () => {
  const id = newId();
  await t.db.query(`insert into interactions (id, kind, started_at) values ($1, 'call', now())`, [id]);
  return id;
};

const newJob = async (interactionId: string | null, topic = 'test.topic') => {
  const id = newId();
  await t.db.query(
    `insert into outbox (id, topic, payload, interaction_id, run_at, created_at) values ($1, $2, '{"n":1}', $3, now(), now())`,
    [id, topic, interactionId],
  );
  return id;
};

const eventsOf = async (interactionId: string) =>
  (await t.db.query<{ type: string; payload: Record<string, unknown> }>(
    'select type, payload from evidence_events where interaction_id = $1 order by seq', [interactionId])).rows;

const rowOf = async (id: string) =>
  (await t.db.query<{ completed_at: Date | null; result: unknown }>('select completed_at, result from outbox where id = $1', [id])).rows[0]!;

test('a job completes its row, stores its result and records what it did on its interaction, in one commit', async () => {
  const call = await newCall();
  const job = await newJob(call);
  const handlers: OutboxHandlers = {
    'test.topic': async () => ({ result: { providerId: 'SM1' }, evidence: [{ type: 'outbound.sent', providerRef: 'SM1', payload: { to: '+12025550143' } }] }),
  };
  assert.equal(await processOutboxJob({ db: t.db, clock: systemClock, handlers }, job, 1), 'done');
  const row = await rowOf(job);
  assert.ok(row.completed_at);
  assert.deepEqual(row.result, { providerId: 'SM1' });
  assert.deepEqual((await eventsOf(call)).map((e) => e.type), ['outbound.completed', 'outbound.sent']);
  assert.deepEqual((await verifyChains(t.db, { interactionId: call })).broken, []);
});

test('when the call moves on while the handler runs, the outcome is still appended on the new head', async () => {
  const call = await newCall();
  const job = await newJob(call);
  const handlers: OutboxHandlers = {
    'test.topic': async () => {
      // A voice turn of the same call writes meanwhile: the head read with the row is stale now.
      await appendEvidence(t.db, systemClock, call, [{ type: 'flow.turn', payload: { n: 1 } }]);
      return { evidence: [{ type: 'payment.result', payload: { outcome: 'succeeded' } }] };
    },
  };
  assert.equal(await processOutboxJob({ db: t.db, clock: systemClock, handlers }, job, 1), 'done');
  assert.deepEqual((await eventsOf(call)).map((e) => e.type), ['flow.turn', 'outbound.completed', 'payment.result']);
  assert.deepEqual((await verifyChains(t.db, { interactionId: call })).broken, []);
});

test('two runs of one job at once (a relayed duplicate): one records the outcome, the other nothing', async () => {
  const call = await newCall();
  const job = await newJob(call);
  let ran = 0;
  const handlers: OutboxHandlers = {
    'test.topic': async () => {
      ran++;
      await new Promise((r) => setTimeout(r, 30));
      return { evidence: [{ type: 'outbound.sent', payload: { run: ran } }] };
    },
  };
  const deps = { db: t.db, clock: systemClock, handlers };
  await Promise.all([processOutboxJob(deps, job, 1), processOutboxJob(deps, job, 2)]);
  const types = (await eventsOf(call)).map((e) => e.type);
  assert.deepEqual(types, ['outbound.completed', 'outbound.sent'], 'the outcome of one run only');
  assert.equal(await processOutboxJob(deps, job, 3), 'skipped');
  assert.deepEqual((await verifyChains(t.db, { interactionId: call })).broken, []);
});

test('a job without an interaction completes without evidence', async () => {
  const job = await newJob(null);
  const handlers: OutboxHandlers = { 'test.topic': async () => ({ result: { ok: true } }) };
  assert.equal(await processOutboxJob({ db: t.db, clock: systemClock, handlers }, job, 1), 'done');
  assert.deepEqual((await rowOf(job)).result, { ok: true });
});

test('an append gated on another write adds nothing when that write found nothing to do', async () => {
  const call = await newCall();
  const missing = newId();
  const gated = await appendEvidence(t.db, systemClock, call, [{ type: 'outbound.completed', payload: {} }], {
    extra: { with: (first) => `done as (update outbox set completed_at = now() where id = $${first} returning 1)`, values: [missing], gate: 'done' },
  });
  assert.equal(gated, false);
  assert.deepEqual(await eventsOf(call), []);
  const { rows } = await t.db.query<{ evidence_seq: number }>('select evidence_seq from interactions where id = $1', [call]);
  assert.equal(rows[0]!.evidence_seq, 0, 'the head did not move');
});

const followUpJob = defineJob({ topic: 'test.follow-up', version: 1, payload: z.object({ n: z.number() }) });

test('jobs a handler queues run in the same process at once when due (never through Redis), later or failing ones go to the queue', async () => {
  const call = await newCall();
  const job = await newJob(call, 'test.parent');
  const ran: number[] = [];
  const dispatched: string[] = [];
  const now = new Date();
  const due = [outboxRow(followUpJob, { n: 1 }, { runAt: now }), outboxRow(followUpJob, { n: 2 }, { runAt: now })];
  const later = outboxRow(followUpJob, { n: 3 }, { runAt: new Date(now.getTime() + 3_600_000) });
  const handlers: OutboxHandlers = {
    'test.parent': async () => ({ result: { ok: true }, outbox: [...due, later] }),
    'test.follow-up': async (j) => {
      const n = (j.payload as { n: number }).n;
      if (n === 2) throw new Error('provider down');
      ran.push(n);
      return { result: { n } };
    },
  };
  const deps = { db: t.db, clock: systemClock, handlers, dispatch: (rows: OutboxRow[]) => dispatched.push(...rows.map((r) => r.id)) };
  assert.equal(await processOutboxJob(deps, job, 1), 'done');
  assert.deepEqual(ran, [1], 'the due follow-up ran in-process');
  assert.deepEqual(dispatched.sort(), [due[1]!.id, later.id].sort(), 'the failing one and the later one went to the queue');
  const first = (await t.db.query('select completed_at, dispatched_at from outbox where id = $1', [due[0]!.id])).rows[0];
  assert.ok(first.completed_at && first.dispatched_at, 'a row run in-process is marked dispatched, so the relay never sends it');
  const relayed = await relayOutbox({ db: t.db, dispatcher: { send: async (rows: OutboxRow[]) => void dispatched.push(...rows.map((r) => `relay:${r.id}`)) } as never }, { olderThan: new Date(Date.now() + 60_000) });
  assert.ok(!dispatched.includes(`relay:${due[0]!.id}`), 'the relay skips the completed row');
  assert.ok(relayed >= 1);
  assert.deepEqual((await verifyChains(t.db, { interactionId: call })).broken, []);
});

test('markStarted tells a run when an earlier run of its row began acting and never completed', async () => {
  const job = await newJob(null);
  const seen: (Date | null)[] = [];
  const handlers: OutboxHandlers = {
    'test.topic': async (j) => {
      seen.push(await j.markStarted());
      if (seen.length === 1) throw new Error('killed after the carrier took the text');
      return {};
    },
  };
  await assert.rejects(processOutboxJob({ db: t.db, clock: systemClock, handlers }, job, 1), /killed/);
  assert.equal(await processOutboxJob({ db: t.db, clock: systemClock, handlers }, job, 2), 'done');
  assert.equal(seen[0], null, 'the first run is told nothing came before it');
  assert.ok(seen[1] instanceof Date, 'the second run is told when the first began');
  const started = (await t.db.query<{ started_at: Date }>('select started_at from outbox where id = $1', [job])).rows[0]!.started_at;
  assert.equal(seen[1].getTime(), started.getTime(), 'the first run’s start is kept');
});

test('earlierJobAbout: of two jobs about the same thing, the later stands down; a cancelled one does not count', async () => {
  const { earlierJobAbout } = await import('../../src/jobs/earlier-job-about.js');
  const about = `receipt:${newId()}`;
  const first = await newJob(null, 'sms.payment-receipt');
  const second = await newJob(null, 'sms.payment-receipt');
  await t.db.query(`update outbox set correlation = $1, created_at = created_at + (case when id = $3 then interval '1 second' else interval '0' end)
                     where id in ($2, $3)`, [about, first, second]);
  assert.equal(await earlierJobAbout(t.db, about, first), false, 'the first goes ahead');
  assert.equal(await earlierJobAbout(t.db, about, second), true, 'the second stands down');
  await t.db.query('update outbox set cancelled_at = now() where id = $1', [first]);
  assert.equal(await earlierJobAbout(t.db, about, second), false, 'a cancelled earlier job does not count');
});
