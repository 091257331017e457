import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createMachineRegistry } from '../../src/turns/machine-registry.js';
import { runTurn, type TurnSpec } from '../../src/turns/run-turn.js';
import { createSessionCache } from '../../src/turns/session-cache.js';
import { createTurnBatcher } from '../../src/turns/turn-batcher.js';
import { appendEvidence } from '../../src/evidence/append-evidence.js';
import { eventParts } from '../../src/evidence/turn-event.js';
import { verifyChains } from '../../src/evidence/verify-chains.js';
import { systemClock } from '../../src/shared/clock.js';
import { createOutboxQueue } from '../../src/jobs/outbox-queue.js';
import { createOutboxDispatcher } from '../../src/jobs/dispatch-outbox.js';
import { relayOutbox } from '../../src/jobs/relay-outbox.js';
import { startOutboxWorker } from '../../src/jobs/outbox-worker.js';
import type { OutboxRow } from '../../src/jobs/outbox-rows.js';
import { counterMachine } from '../support/counter.machine.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { createTestRedis } from '../support/test-redis.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const machines = createMachineRegistry([{ id: 'counter', version: 1, machine: counterMachine }]);
const silentLog = { warn: () => undefined, error: () => undefined };

type TestEvent = { type: 'BUMP'; tag: string } | { type: 'NOTIFY' } | null;

const spec = (key: string, event: TestEvent, dedupeKey: string | null): TurnSpec => ({
  sessionKey: key,
  dedupeKey,
  start: {
    machineId: 'counter',
    ref: { kind: 'call', providerRef: key },
    init: async () => ({ input: {}, interaction: { kind: 'call', providerRef: key, direction: 'inbound' } }),
  },
  prepare: async () => ({ event, evidence: [{ type: 'webhook.received', payload: { event } }] }),
  render: ({ snapshot, step }) => ({
    contentType: 'text/plain',
    body: `count=${(snapshot.context as { count: number }).count} step=${step}`,
    evidence: [],
  }),
});

const turnDeps = (dispatch: (rows: OutboxRow[]) => void = () => undefined) => ({
  db: t.db,
  clock: systemClock,
  machines,
  dispatch,
});

/** The test database, recording the name of every statement run through it (unnamed ones as 'unnamed'). */
const recordingDb = () => {
  const statements: string[] = [];
  const db = Object.create(t.db) as typeof t.db;
  db.query = ((q: { name?: string }, ...rest: unknown[]) => {
    statements.push(q?.name ?? 'unnamed');
    return (t.db.query as (...a: unknown[]) => unknown)(q, ...rest);
  }) as typeof t.db.query;
  return { db, statements };
};

const countOf = async (key: string) => {
  const { rows } = await t.db.query('select snapshot, version from flow_sessions where session_key = $1', [key]);
  return rows[0] as { snapshot: { context: { count: number; seen: string[] } }; version: number };
};

describe('durable flow turns', () => {
  test('the first turn creates the session, its interaction and a valid evidence chain', async () => {
    const r = await runTurn(spec('call:A', null, 'A:start'), turnDeps());
    assert.equal(r.body, 'count=0 step=1');
    assert.equal(r.replayed, false);
    const ix = await t.db.query('select kind, provider_ref, evidence_seq from interactions where id = $1', [r.interactionId]);
    // The turn is one event (one chain link, one log leaf) holding its parts in order.
    assert.deepEqual(ix.rows[0], { kind: 'call', provider_ref: 'call:A', evidence_seq: 1 });
    const report = await verifyChains(t.db, { interactionId: r.interactionId! });
    assert.deepEqual(report.broken, []);
    assert.equal(report.events, 1);
    const ev = await t.db.query('select type, provider_ref, payload from evidence_events where interaction_id = $1', [r.interactionId]);
    assert.equal(ev.rows[0].type, 'flow.turn');
    assert.deepEqual(
      ev.rows[0].payload.parts.map((p: { type: string }) => p.type),
      ['webhook.received', 'flow.transition'],
    );
    assert.deepEqual(ev.rows[0].payload.parts[1].payload, { machine: 'counter@1', from: null, to: 'open', event: 'START' });
  });

  test('twenty concurrent turns on one call all apply: no update is lost', async () => {
    await runTurn(spec('call:B', null, null), turnDeps());
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => runTurn(spec('call:B', { type: 'BUMP', tag: `t${i}` }, `B:${i}`), turnDeps())),
    );
    assert.ok(results.every((r) => !r.replayed));
    const s = await countOf('call:B');
    assert.equal(s.snapshot.context.count, 20);
    assert.equal(new Set(s.snapshot.context.seen).size, 20);
    assert.equal(s.version, 21);
    const report = await verifyChains(t.db, { interactionId: results[0]!.interactionId! });
    assert.deepEqual(report.broken, []);
  });

  test('concurrent first requests for a new call create one session', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => runTurn(spec('call:C', { type: 'BUMP', tag: `c${i}` }, `C:${i}`), turnDeps())),
    );
    assert.equal(new Set(results.map((r) => r.sessionId)).size, 1);
    assert.equal((await countOf('call:C')).snapshot.context.count, 8);
    const n = await t.db.query(`select count(*)::int as n from interactions where provider_ref = 'call:C'`);
    assert.equal(n.rows[0].n, 1);
  });

  test('a retried webhook gets the same answer and is applied once, even when retries race', async () => {
    await runTurn(spec('call:D', null, null), turnDeps());
    const first = await runTurn(spec('call:D', { type: 'BUMP', tag: 'x' }, 'D:step2'), turnDeps());
    const retries = await Promise.all(
      Array.from({ length: 10 }, () => runTurn(spec('call:D', { type: 'BUMP', tag: 'x' }, 'D:step2'), turnDeps())),
    );
    for (const r of retries) {
      assert.equal(r.replayed, true);
      assert.equal(r.body, first.body);
    }
    assert.equal((await countOf('call:D')).snapshot.context.count, 1);
  });

  test('racing copies of one new request: exactly one applies, the others replay its answer', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, () => runTurn(spec('call:E', { type: 'BUMP', tag: 'e' }, 'E:1'), turnDeps())),
    );
    assert.equal(results.filter((r) => !r.replayed).length, 1);
    assert.equal(new Set(results.map((r) => r.body)).size, 1);
    assert.equal((await countOf('call:E')).snapshot.context.count, 1);
  });
});

describe('with session caches (two web processes)', () => {
  test('concurrent turns through two caches lose nothing; a stale cache reloads', async () => {
    const a = { ...turnDeps(), sessions: createSessionCache() };
    const b = { ...turnDeps(), sessions: createSessionCache() };
    await runTurn(spec('call:G', null, null), a);
    await runTurn(spec('call:G', { type: 'BUMP', tag: 'b0' }, 'G:b0'), b);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => runTurn(spec('call:G', { type: 'BUMP', tag: `g${i}` }, `G:${i}`), i % 2 ? a : b)),
    );
    assert.ok(results.every((r) => !r.replayed));
    const s = await countOf('call:G');
    assert.equal(s.snapshot.context.count, 17);
    const report = await verifyChains(t.db, { interactionId: results[0]!.interactionId! });
    assert.deepEqual(report.broken, []);
  });

  test('a retried webhook is still answered from its receipt when the session is cached', async () => {
    const deps = { ...turnDeps(), sessions: createSessionCache() };
    await runTurn(spec('call:H', null, null), deps);
    const first = await runTurn(spec('call:H', { type: 'BUMP', tag: 'x' }, 'H:1'), deps);
    const again = await runTurn(spec('call:H', { type: 'BUMP', tag: 'x' }, 'H:1'), deps);
    assert.equal(again.replayed, true);
    assert.equal(again.body, first.body);
    assert.equal((await countOf('call:H')).snapshot.context.count, 1);
  });

  test('evidence appended by another writer (a worker) does not fork the chain of a cached session', async () => {
    const deps = { ...turnDeps(), sessions: createSessionCache() };
    const r = await runTurn(spec('call:I', null, null), deps);
    await appendEvidence(t.db, systemClock, r.interactionId!, [{ type: 'outbound.completed', payload: { x: 1 } }]);
    await runTurn(spec('call:I', { type: 'BUMP', tag: 'y' }, 'I:1'), deps);
    assert.deepEqual((await verifyChains(t.db, { interactionId: r.interactionId! })).broken, []);
    assert.equal((await countOf('call:I')).snapshot.context.count, 1);
  });
});

describe('a chain head learned while preparing', () => {
  test('newer than the cached one: the turn writes on it at once, with no failed write and no reload', async () => {
    const { db, statements } = recordingDb();
    const deps = { ...turnDeps(), db, sessions: createSessionCache() };
    const r = await runTurn(spec('call:P', null, null), deps);
    // A worker records a job's outcome on the call's chain: the cached head is stale now.
    await appendEvidence(t.db, systemClock, r.interactionId!, [{ type: 'outbound.completed', payload: { x: 1 } }]);
    const head = (await t.db.query('select id as "interactionId", evidence_seq as seq, evidence_head as hash from interactions where id = $1', [r.interactionId])).rows[0];
    const bump = spec('call:P', { type: 'BUMP', tag: 'p' }, 'P:1');
    statements.length = 0;
    await runTurn({ ...bump, prepare: async (cur) => ({ ...(await bump.prepare(cur)), head }) }, deps);
    assert.deepEqual(statements, ['gw_save_turn_v2'], 'one write, first time');
    // Without it, the same situation costs a failed write and a reload.
    await appendEvidence(t.db, systemClock, r.interactionId!, [{ type: 'outbound.completed', payload: { x: 2 } }]);
    statements.length = 0;
    await runTurn(spec('call:P', { type: 'BUMP', tag: 'q' }, 'P:2'), deps);
    assert.deepEqual(statements, ['gw_save_turn_v2', 'gw_load_turn_v1', 'gw_save_turn_v2']);
    assert.equal((await countOf('call:P')).snapshot.context.count, 2);
    assert.deepEqual((await verifyChains(t.db, { interactionId: r.interactionId! })).broken, []);
  });

  test('older than the cached one (read before this process last wrote): ignored, the turn still lands', async () => {
    const deps = { ...turnDeps(), sessions: createSessionCache() };
    const r = await runTurn(spec('call:Q', null, null), deps);
    const old = (await t.db.query('select id as "interactionId", evidence_seq as seq, evidence_head as hash from interactions where id = $1', [r.interactionId])).rows[0];
    await runTurn(spec('call:Q', { type: 'BUMP', tag: 'a' }, 'Q:1'), deps);
    const bump = spec('call:Q', { type: 'BUMP', tag: 'b' }, 'Q:2');
    await runTurn({ ...bump, prepare: async (cur) => ({ ...(await bump.prepare(cur)), head: old }) }, deps);
    assert.equal((await countOf('call:Q')).snapshot.context.count, 2);
    assert.deepEqual((await verifyChains(t.db, { interactionId: r.interactionId! })).broken, []);
  });
});

describe('group commit', () => {
  test('concurrent turns of many calls and of one call, through the batcher: all applied, chains intact, retries replayed', async () => {
    const deps = { ...turnDeps(), sessions: createSessionCache(), batcher: createTurnBatcher(t.db, systemClock) };
    const keys = Array.from({ length: 12 }, (_, i) => `call:J${i}`);
    await Promise.all(keys.map((k) => runTurn(spec(k, null, null), deps)));
    const turns = keys.flatMap((k) => Array.from({ length: 5 }, (_, j) => ({ k, j })));
    const results = await Promise.all(turns.map(({ k, j }) => runTurn(spec(k, { type: 'BUMP', tag: `t${j}` }, `${k}:${j}`), deps)));
    assert.ok(results.every((r) => !r.replayed));
    for (const k of keys) {
      const s = await countOf(k);
      assert.equal(s.snapshot.context.count, 5, k);
      assert.equal(s.version, 6);
    }
    const again = await Promise.all(turns.slice(0, 10).map(({ k, j }) => runTurn(spec(k, { type: 'BUMP', tag: `t${j}` }, `${k}:${j}`), deps)));
    assert.ok(again.every((r) => r.replayed));
    for (const k of keys) assert.equal((await countOf(k)).snapshot.context.count, 5);
    const report = await verifyChains(t.db);
    assert.deepEqual(report.broken, []);
  });

  test('first turns of many new calls and racing copies of them, through the batcher: created together, one session each, copies replay', async () => {
    const { db, statements } = recordingDb();
    const deps = { ...turnDeps(), db, sessions: createSessionCache(), batcher: createTurnBatcher(db, systemClock) };
    const keys = Array.from({ length: 10 }, (_, i) => `call:N${i}`);
    const results = await Promise.all(
      keys.flatMap((k) => Array.from({ length: 3 }, () => runTurn({ ...spec(k, { type: 'BUMP', tag: 'first' }, `${k}:start`), expectNew: true }, deps))),
    );
    for (const [i, k] of keys.entries()) {
      const copies = results.slice(i * 3, i * 3 + 3);
      assert.equal(copies.filter((r) => !r.replayed).length, 1, k);
      assert.equal(new Set(copies.map((r) => r.body)).size, 1, k);
      assert.equal((await countOf(k)).snapshot.context.count, 1, k);
    }
    const n = await t.db.query(`select count(*)::int as n from interactions where provider_ref like 'call:N%'`);
    assert.equal(n.rows[0].n, 10);
    assert.ok(statements.includes('gw_write_turns_v1'), statements.join(','));
    assert.ok(statements.filter((x) => x === 'gw_write_turns_v1' || x === 'gw_create_session_v2').length < 10, 'fewer write statements than calls: first turns written together');
    assert.deepEqual((await verifyChains(t.db)).broken, []);
  });

  test('a batch with outbox rows and a stale turn: the stale one is redone, the others land once', async () => {
    const a = { ...turnDeps(), sessions: createSessionCache(), batcher: createTurnBatcher(t.db, systemClock) };
    const b = { ...turnDeps(), sessions: createSessionCache(), batcher: createTurnBatcher(t.db, systemClock) };
    await runTurn(spec('call:K', null, null), a);
    await runTurn(spec('call:K', { type: 'BUMP', tag: 'warm' }, 'K:w'), b); // b now caches version 2; a's cache is stale
    const rs = await Promise.all([
      runTurn(spec('call:K', { type: 'NOTIFY' }, 'K:n'), a),
      runTurn(spec('call:K', { type: 'BUMP', tag: 'b' }, 'K:b'), b),
      runTurn(spec('call:L', null, 'L:0'), a),
    ]);
    assert.equal(rs[0]!.outbox.length, 1);
    const s = await countOf('call:K');
    assert.equal(s.snapshot.context.count, 2);
    const ob = await t.db.query(`select count(*)::int as n from outbox where topic = 'test.notify' and payload->>'count' is not null`);
    assert.equal(ob.rows[0].n >= 1, true);
    assert.deepEqual((await verifyChains(t.db)).broken, []);
  });
});

describe('outbox', () => {
  test('a crash between commit and dispatch: the relay delivers the job exactly once', async () => {
    const redis = createTestRedis();
    const queue = createOutboxQueue(redis.connection, redis.prefix);
    const dispatcher = createOutboxDispatcher({ db: t.db, queue, clock: systemClock, log: silentLog });
    const handled: string[] = [];
    const worker = startOutboxWorker(
      {
        db: t.db,
        clock: systemClock,
        log: silentLog,
        handlers: {
          'test.notify': async (job) => {
            handled.push(job.id);
          },
        },
      },
      redis.connection,
      redis.prefix,
    );
    try {
      await runTurn(spec('call:F', null, null), turnDeps());
      // The process "dies" after commit: dispatch never runs.
      const r = await runTurn(spec('call:F', { type: 'NOTIFY' }, 'F:notify'), turnDeps(() => undefined));
      assert.equal(r.outbox.length, 1);
      const outboxId = r.outbox[0]!.id;
      const pending = await t.db.query('select dispatched_at from outbox where id = $1', [outboxId]);
      assert.equal(pending.rows[0].dispatched_at, null);

      const future = new Date(Date.now() + 60_000);
      assert.ok((await relayOutbox({ db: t.db, dispatcher }, { olderThan: future })) >= 1);
      assert.equal(await relayOutbox({ db: t.db, dispatcher }, { olderThan: future }), 0);
      // A relay racing a late dispatch of the same row adds nothing either.
      await dispatcher.send(r.outbox);

      const deadline = Date.now() + 10_000;
      for (;;) {
        const done = await t.db.query('select completed_at from outbox where id = $1', [outboxId]);
        if (done.rows[0].completed_at) break;
        assert.ok(Date.now() < deadline, 'job not completed in time');
        await new Promise((res) => setTimeout(res, 50));
      }
      await new Promise((res) => setTimeout(res, 300));
      assert.equal(handled.filter((id) => id === outboxId).length, 1, 'delivered exactly once');
      const ev = await t.db.query(
        `select type, payload from evidence_events where interaction_id = $1 order by seq`,
        [r.interactionId],
      );
      const parts = ev.rows.flatMap((e) => eventParts(e));
      assert.ok(parts.some((e) => e.type === 'outbound.queued' && e.payload.outboxId === outboxId));
      assert.ok(parts.some((e) => e.type === 'outbound.completed'));
      const report = await verifyChains(t.db, { interactionId: r.interactionId! });
      assert.deepEqual(report.broken, []);
    } finally {
      await worker.close();
      await queue.close();
      await redis.cleanup();
    }
  });
});
