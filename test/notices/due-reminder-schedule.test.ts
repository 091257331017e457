import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Queue } from 'bullmq';
import type { OutboxRow } from '../../src/jobs/outbox-rows.js';
import { DUE_REMINDERS_JOB, startDueReminderSchedule } from '../../src/notices/due-reminder-schedule.js';
import { loadNoticeTemplates } from '../../src/notices/notice-templates.js';
import { queueDueReminders } from '../../src/notices/queue-due-reminders.js';
import { createManualClock } from '../../src/shared/clock.js';
import { createTestRedis } from '../support/test-redis.js';
import { startHarness, type Harness } from '../payments/payments-harness.js';

// Saturday 28 November 2026, 17:00 UTC (the schedule's hour): Saturday 12:00 in New York,
// already Sunday 29 November 07:00 on Kiritimati (UTC+14).
const clock = createManualClock('2026-11-28T17:00:00Z');
const redis = createTestRedis();
let h: Harness;
const dispatched: OutboxRow[] = [];

before(async () => {
  h = await startHarness({ clock });
});
after(async () => {
  await h.close();
  await redis.cleanup();
});

const plan = () => ({
  db: h.t.db, templates: loadNoticeTemplates(), from: '+18005550100', rate: 3, homeZone: 'America/New_York', dispatch: (rows: OutboxRow[]) => dispatched.push(...rows),
  wording: { insurerName: 'Harbor Mutual', phone: '(800) 555-0100', graceDays: 30 },
});
const due = async (dueDate: string, o: { zone?: string; status?: string } = {}) => {
  const s = await h.seedDue({ dueDate });
  if (o.zone) await h.t.db.query('update policyholders set time_zone = $2 where id = $1', [s.holderId, o.zone]);
  if (o.status) await h.t.db.query('update premium_dues set status = $2 where id = $1', [s.dueId, o.status]);
  return s.dueId;
};
const remindedDues = async () =>
  (await h.t.db.query<{ due_id: string; remind_on: string; correlation: string }>(
    `select n.due_id, n.remind_on::text, o.correlation from notice_jobs n join outbox o on o.id = n.outbox_id where n.kind = 'due-reminder' and n.remind_on is not null`)).rows;

test('the daily run queues a reminder for each open due N days ahead on its holder’s calendar, once, however often it runs', async () => {
  const inThree = await due('2026-12-01');
  const kiritimati = await due('2026-12-02', { zone: 'Pacific/Kiritimati' });
  await due('2026-12-01', { zone: 'Pacific/Kiritimati' }); // two days ahead there
  const nextDay = await due('2026-12-02'); // four days ahead in New York
  await due('2026-12-01', { status: 'paid' });
  const runs = [];
  for (let i = 0; i < 2; i++) runs.push(await queueDueReminders(plan(), { now: clock.now(), daysAhead: 3, pageSize: 1 }));
  // Two workers at once: the unique index decides, nothing is queued twice.
  runs.push(...await Promise.all([1, 2].map(() => queueDueReminders(plan(), { now: clock.now(), daysAhead: 3 }))));
  assert.deepEqual(runs.map((r) => [r.queued, r.alreadyQueued]), [[2, 0], [0, 2], [0, 2], [0, 2]]);
  const reminded = await remindedDues();
  assert.deepEqual(reminded.map((r) => r.due_id).sort(), [inThree, kiritimati].sort());
  assert.deepEqual(reminded.map((r) => [r.remind_on, r.correlation]).sort(), [['2026-11-28', `due:${inThree}`], ['2026-11-29', `due:${kiritimati}`]].sort());
  assert.equal(dispatched.length, 2);
  // The next day: the due four days ahead yesterday is three days ahead now; the others were reminded already.
  clock.advance(24 * 3_600_000);
  try {
    assert.equal((await queueDueReminders(plan(), { now: clock.now(), daysAhead: 3 })).queued, 1);
    assert.ok((await remindedDues()).some((r) => r.due_id === nextDay && r.remind_on === '2026-11-29'));
  } finally {
    clock.set('2026-11-28T17:00:00Z');
  }
});

test('the schedule is one BullMQ job scheduler, daily at 17:00 UTC, however many workers start it', async () => {
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const o = { connection: redis.connection, prefix: redis.prefix, daysAhead: 3, clock, plan: plan(), log };
  const [a, b] = await Promise.all([startDueReminderSchedule(o), startDueReminderSchedule(o)]);
  const queue = new Queue(DUE_REMINDERS_JOB.queue, { connection: redis.connection, prefix: redis.prefix });
  try {
    const schedulers = await queue.getJobSchedulers();
    assert.deepEqual(schedulers.map((s) => [s.key, s.pattern, s.tz]), [['notices.due-reminders', '0 0 17 * * *', 'UTC']]);
  } finally {
    await queue.close();
    await a.stop();
    await b.stop();
  }
});
