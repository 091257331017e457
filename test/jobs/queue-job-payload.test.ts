import '../../src/runtime/job-catalog.js';
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setup } from 'xstate';
import { withTransaction } from '../../src/db/pool.js';
import { createMachineRegistry } from '../../src/turns/machine-registry.js';
import { runTurn } from '../../src/turns/run-turn.js';
import { JobPayloadError } from '../../src/jobs/job-definition.js';
import { outboxRow, type OutboxRow } from '../../src/jobs/outbox-rows.js';
import { writeOutbox } from '../../src/payments/settle-context.js';
import { systemClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { sendSmsJob } from '../../src/jobs/contracts/send-sms.job.js';
import { notifyJob } from '../support/counter.machine.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const outboxCount = async () => Number((await t.db.query<{ n: string }>('select count(*) as n from outbox')).rows[0]!.n);

const isRefusal = (topic: string, field: string) => (err: unknown) =>
  err instanceof JobPayloadError && err.topic === topic && err.field === field && err.message.includes(topic) && err.message.includes(field);

test('a direct writer queuing a payload its definition refuses throws, naming topic and field, and writes no row', async () => {
  const interactionId = newId();
  await t.db.query(`insert into interactions (id, kind, started_at) values ($1, 'call', now())`, [interactionId]);
  const before = await outboxCount();
  const now = new Date();
  const bad: OutboxRow = { id: newId(), topic: 'recovery.start', payload: { declineClass: 'retry-later' }, runAt: now, correlation: null };
  await assert.rejects(withTransaction(t.db, (client) => writeOutbox({ client, now, interactionId }, [bad])), isRefusal('recovery.start', 'dueId'));
  const unknown: OutboxRow = { id: newId(), topic: 'no.such-topic', payload: {}, runAt: now, correlation: null };
  await assert.rejects(withTransaction(t.db, (client) => writeOutbox({ client, now, interactionId }, [unknown])), isRefusal('no.such-topic', ''));
  // A typed row is checked as it is made.
  assert.throws(() => outboxRow(sendSmsJob, { to: '+15550100', body: '' }, { runAt: now }), isRefusal('sms.send', 'body'));
  assert.equal(await outboxCount(), before);

  // The same writer queues a valid payload as before.
  const good = outboxRow(sendSmsJob, { to: '+15550100', body: 'hello' }, { runAt: now });
  await withTransaction(t.db, (client) => writeOutbox({ client, now, interactionId }, [good]));
  const { rows } = await t.db.query('select topic, payload from outbox where id = $1', [good.id]);
  assert.deepEqual(rows, [{ topic: 'sms.send', payload: { to: '+15550100', body: 'hello' } }]);
});

// A machine whose action params break the job's definition (a bug a cast could hide from typecheck).
const brokenMachine = setup({
  types: {} as { events: { type: 'NOTIFY' } },
  actions: { 'outbox:test.notify': (_, _p: { count: number }) => undefined },
}).createMachine({
  id: 'broken-notify',
  initial: 'open',
  states: { open: { on: { NOTIFY: { actions: { type: 'outbox:test.notify', params: () => ({ count: 'many' as unknown as number }) } } } } },
});

test('a turn whose machine queues a refused payload fails before writing: no outbox row, no session, no evidence', async () => {
  assert.equal(notifyJob.topic, 'test.notify');
  const machines = createMachineRegistry([{ id: 'broken-notify', version: 1, machine: brokenMachine }]);
  const key = `broken:${newId()}`;
  const before = await outboxCount();
  await assert.rejects(
    runTurn({
      sessionKey: key,
      dedupeKey: `${key}:1`,
      start: {
        machineId: 'broken-notify',
        ref: { kind: 'call', providerRef: key },
        init: async () => ({ input: {}, interaction: { kind: 'call', providerRef: key, direction: 'inbound' } }),
      },
      prepare: async () => ({ event: { type: 'NOTIFY' }, evidence: [] }),
      render: () => ({ contentType: 'text/plain', body: 'ok', evidence: [] }),
    }, { db: t.db, clock: systemClock, machines, dispatch: () => assert.fail('nothing to dispatch') }),
    isRefusal('test.notify', 'count'),
  );
  assert.equal(await outboxCount(), before);
  assert.equal((await t.db.query('select 1 from flow_sessions where session_key = $1', [key])).rowCount, 0);
  assert.equal((await t.db.query('select 1 from interactions where provider_ref = $1', [key])).rowCount, 0);
});
