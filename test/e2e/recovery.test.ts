import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chargeDue } from '../../src/payments/charge-due.js';
import { queueDebitRun } from '../../src/payments/debit-run.js';
import { runReportCli } from '../../src/recovery/recovery-report-cli.js';
import { savePaymentMethod } from '../../src/payments/save-payment-method.js';
import { createManualClock } from '../../src/shared/clock.js';
import { createScriptedInput } from '../../src/telephony/simulator/index.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedDue, seedPolicyholder, seedSmsConsent, seedSpecialist } from '../support/seed.js';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import { waitFor } from '../support/wait-for.js';

/**
 * Failed-debit recovery end to end in simulated time: a scheduled debit fails (the real stripe SDK
 * against the loopback fake), the due's recovery flow starts and runs its schedule; the clock is moved
 * to each wake and the delayed BullMQ job promoted. Texts go through the contact engine to the
 * simulated carrier. Thursday 3 December 2026, 10:00 in New York.
 */
const START = '2026-12-03T15:00:00Z';
const clock = createManualClock(START);
let h: GatewayHarness;
let n = 0;
before(async () => { h = await startGatewayHarness({ clock }); });
after(async () => h.close());

/** A holder in New York who agreed to texts and calls, with a $124.50 monthly premium due 3 December and a card on file that `card` says. */
const holder = async (card = 'pm_card_chargeDeclinedInsufficientFunds', amountCents = 12_450) => {
  n += 1;
  const phone = `+1202555${String(8900 + n)}`;
  const p = await seedPolicyholder(h.t.db, { firstName: 'Dana', phone, policyNumber: `HM-D-${630000 + n}`, locale: 'en-US' });
  await h.t.db.query(`update policyholders set time_zone = 'America/New_York' where id = $1`, [p.policyholderId]);
  const dueId = await seedDue(h.t.db, p.policyId, amountCents, '2026-12-03');
  await seedSmsConsent(h.t.db, phone);
  await h.t.db.query(`insert into consents (phone_e164, channel, granted, source, recorded_at) values ($1, 'voice', true, 'test', now())`, [phone]);
  await savePaymentMethod({ policyholderId: p.policyholderId, paymentMethodId: card }, h.payments.deps);
  return { ...p, phone, dueId };
};

/** The insurer's debit run charges the due off-session; it fails, and recovery starts. */
const debitFails = async (dueId: string) => {
  const r = await chargeDue({ dueId, channel: 'debit-run' }, h.payments.deps);
  assert.equal(r.outcome, 'failed');
};

const recoveryEvents = async (dueId: string) =>
  (await h.t.db.query<{ type: string; payload: Record<string, unknown> }>(
    `select e.type, e.payload from evidence_events e join interactions i on i.id = e.interaction_id
      where i.kind = 'recovery' and i.provider_ref = $1 order by e.seq`, [dueId])).rows;

/** The recovery's evidence with each turn's parts, of the recovery's own types. */
const recoveryParts = async (dueId: string) =>
  (await recoveryEvents(dueId)).flatMap((e) => (e.type === 'flow.turn' ? (e.payload.parts as { type: string; payload: Record<string, unknown> }[]) : [e]))
    .filter((p) => p.type.startsWith('recovery.'));

/** The recovery's evidence as [type, step or outcome]. */
const steps = async (dueId: string) => (await recoveryParts(dueId)).map((p) => [p.type, String(p.payload.stepId ?? p.payload.outcome ?? '')]);

const session = async (dueId: string) =>
  (await h.t.db.query<{ status: string; state: string }>(
    `select status, snapshot->>'value' as state from flow_sessions where session_key = $1`, [`due:${dueId}`])).rows[0];

/** From the start of the scenario: a holder whose debit just failed, their recovery begun and waiting for its next step. */
const recovering = async (card?: string, amountCents?: number) => {
  clock.set(START);
  const m = await holder(card, amountCents);
  await debitFails(m.dueId);
  await waitFor(async () => ((await session(m.dueId))?.state === 'waiting' ? true : null));
  return m;
};

/** Moves the clock to the due's next wake and runs it; its time. */
const nextWake = async (dueId: string): Promise<Date> => {
  const row = await waitFor(async () => (await h.t.db.query<{ id: string; run_at: Date }>(
    `select id, run_at from outbox where topic = 'recovery.wake' and payload->>'dueId' = $1 and completed_at is null and cancelled_at is null
      order by run_at limit 1`, [dueId])).rows[0]);
  clock.set(row.run_at);
  const job = await waitFor(async () => (await h.queue.getJob(row.id)) ?? null);
  if ((await job.getState()) === 'delayed') await job.promote();
  await waitFor(async () => ((await h.t.db.query('select 1 from outbox where id = $1 and completed_at is not null', [row.id])).rows[0]));
  // why: the steps the wake decided run as jobs of their own; the next wake comes after them, as days later it would.
  await waitFor(async () => ((await h.t.db.query(
    `select count(*)::int as n from outbox where topic = 'recovery.run-step' and payload->>'dueId' = $1 and completed_at is null and cancelled_at is null`, [dueId],
  )).rows[0].n === 0 ? true : null));
  return row.run_at;
};

describe('failed-debit recovery', () => {
  test('paid after the first text: the pay link goes at once, paying stops everything still queued', async () => {
    const m = await holder();
    const text = h.carrier.messages.next({ to: m.phone }, 15_000);
    await debitFails(m.dueId);
    const first = await text;
    assert.match(first.body, new RegExp(`your payment of \\$124\\.50 for policy ${m.policyNumber} did not go through\\. Pay securely at http`));
    await waitFor(async () => ((await session(m.dueId))?.state === 'waiting' ? true : null));
    // The next step (a call on day 1) waits as a wake job.
    const wake = (await h.t.db.query(`select run_at from outbox where topic = 'recovery.wake' and payload->>'dueId' = $1 and cancelled_at is null`, [m.dueId])).rows;
    assert.equal(wake.length, 1);
    // The customer pays (here by phone with another card): the flow stops.
    assert.equal((await chargeDue({ dueId: m.dueId, channel: 'ivr', paymentMethodId: 'pm_card_visa' }, h.payments.deps)).outcome, 'succeeded');
    await waitFor(async () => ((await session(m.dueId))?.status === 'done' ? true : null));
    await waitFor(async () => ((await steps(m.dueId)).some(([t]) => t === 'recovery.finished') ? true : null));
    assert.deepEqual(await steps(m.dueId), [['recovery.started', ''], ['recovery.step', 'pay-link'], ['recovery.finished', 'paid']]);
    const cancelled = (await h.t.db.query(`select count(*)::int as n from outbox where topic = 'recovery.wake' and payload->>'dueId' = $1 and cancelled_at is not null`, [m.dueId])).rows[0].n;
    assert.equal(cancelled, 1, 'the queued wake was cancelled by the payment');
  });

  test('never paid: every step on its day, the policy lapses when grace ends, and paying within the window reinstates it', async () => {
    const m = await recovering();
    const woke: string[] = [];
    for (let i = 0; i < 12 && (await session(m.dueId))?.state !== 'reinstatementWindow'; i++) woke.push((await nextWake(m.dueId)).toISOString());
    // Day 1 10:00, day 3 09:00, day 5 10:00, day 7 17:30, day 10 09:00 (New York), 48 hours before grace ends, and its end.
    assert.deepEqual(woke, [
      '2026-12-04T15:00:00.000Z', '2026-12-06T14:00:00.000Z', '2026-12-08T15:00:00.000Z', '2026-12-10T22:30:00.000Z', '2026-12-13T14:00:00.000Z',
      '2027-01-01T05:00:00.000Z', '2027-01-03T05:00:00.000Z',
    ]);
    // The last wake queued the cancellation and the reinstatement offer: their step jobs finish a moment later.
    await waitFor(async () => ((await steps(m.dueId)).filter(([t]) => t === 'recovery.step').length === 9 ? true : null));
    const ran = await steps(m.dueId);
    // The cancellation and the reinstatement offer come at the same wake, as jobs side by side: in either order.
    const ids = ran.filter(([t]) => t === 'recovery.step').map(([, id]) => id);
    assert.deepEqual([...ids.slice(0, 7), ...ids.slice(7).sort()], [
      'pay-link', 'first-call', 'first-retry', 'reminder', 'second-call', 'second-retry', 'final-notice', 'cancel', 'reinstatement-offer',
    ]);
    assert.equal(ran.filter(([t]) => t === 'recovery.lapsed').length, 1, 'lapsed once');
    // The retries charged the card again (insufficient funds: retrying is allowed), and failed.
    const attempts = (await h.t.db.query(`select channel, status from payment_attempts where due_id = $1 order by created_at`, [m.dueId])).rows;
    assert.deepEqual(attempts.map((a) => `${a.channel}:${a.status}`), ['debit-run:failed', 'retry:failed', 'retry:failed']);
    assert.equal((await h.t.db.query('select status from policies where id = $1', [m.policyId])).rows[0].status, 'lapsed');
    // Every text the schedule owed was queued as a notice, in order (those at night wait for the morning).
    const notices = (await h.t.db.query(`select kind from notice_jobs where due_id = $1 order by created_at`, [m.dueId])).rows.map((r) => r.kind);
    assert.deepEqual([...notices.slice(0, 3), ...notices.slice(3).sort()], ['payment-failed', 'payment-failed', 'pending-cancellation', 'cancelled', 'reinstatement-offer']);
    // The final notice fell at midnight in New York (48 hours before grace ends): the contact engine held it to 08:00 there.
    const finalNotice = await waitFor(async () => (await h.t.db.query(
      `select o.run_at, o.completed_at from notice_jobs n join outbox o on o.id = n.outbox_id where n.due_id = $1 and n.kind = 'pending-cancellation'`, [m.dueId])).rows[0]);
    assert.equal(finalNotice.run_at.toISOString(), '2027-01-01T13:00:00.000Z');
    // Both calls were placed (through the contact engine: consent and calling hours) and answered by nobody who keyed anything.
    const calls = (await recoveryParts(m.dueId)).filter((e) => e.type === 'recovery.step' && e.payload.channel === 'voice');
    assert.deepEqual(calls.map((c) => c.payload.outcome), ['done', 'done']);
    assert.equal(h.carrier.calls.entries.filter((c) => c.to === m.phone).length, 2);

    clock.set('2027-01-05T15:00:00Z');
    assert.equal((await chargeDue({ dueId: m.dueId, channel: 'ivr', paymentMethodId: 'pm_card_visa' }, h.payments.deps)).outcome, 'succeeded');
    await waitFor(async () => ((await session(m.dueId))?.status === 'done' ? true : null));
    await waitFor(async () => ((await steps(m.dueId)).some(([t]) => t === 'recovery.finished') ? true : null));
    assert.deepEqual((await steps(m.dueId)).at(-1), ['recovery.finished', 'reinstated']);
    assert.equal((await h.t.db.query('select status from policies where id = $1', [m.policyId])).rows[0].status, 'reinstated');
  });

  test('a lost card is never charged again: a pay link goes instead of each retry', async () => {
    const m = await recovering('pm_card_chargeDeclinedLostCard');
    await nextWake(m.dueId); // day 1: the call
    await nextWake(m.dueId); // day 3: the retry, replaced
    const retry = (await recoveryParts(m.dueId)).find((e) => e.type === 'recovery.step' && e.payload.stepId === 'first-retry');
    assert.equal(retry?.payload.does, 'sms-pay-link');
    assert.match(String(retry?.payload.why), /lost|stolen|never/i);
    const attempts = (await h.t.db.query(`select count(*)::int as n from payment_attempts where due_id = $1`, [m.dueId])).rows[0].n;
    assert.equal(attempts, 1, 'no second charge on a lost card');
    assert.deepEqual((await h.t.db.query(`select kind from notice_jobs where due_id = $1 order by created_at`, [m.dueId])).rows.map((r) => r.kind), ['payment-failed', 'payment-failed']);
  });

  test('a large premium: the calls are tasks for a human caller, with the failure in plain words; one specialist claims it; paying cancels it', async () => {
    const m = await recovering('pm_card_chargeDeclinedInsufficientFunds', 61_000);
    await nextWake(m.dueId); // day 1: the call, for a person to make
    const ana = await seedSpecialist(h.t.db, { name: 'Ana Tasks', phone: '+15550100401' });
    const bo = await seedSpecialist(h.t.db, { name: 'Bo Tasks', phone: '+15550100402' });
    const token = async (name: string, specialistId: string) => (await createApiToken(h.t.db, clock, { name, role: 'specialist', specialistId })).token;
    const [anaToken, boToken] = [await token('ana', ana), await token('bo', bo)];
    const api = (method: 'GET' | 'POST', url: string, tok: string) => h.app.inject({ method, url, headers: { authorization: `Bearer ${tok}` } });
    const list = await api('GET', '/api/recovery/tasks?status=open', anaToken);
    assert.equal(list.statusCode, 200, list.body);
    const task = list.json().tasks.find((t: { dueId: string }) => t.dueId === m.dueId);
    assert.deepEqual({ stepId: task.stepId, reason: task.reason, status: task.status }, { stepId: 'first-call', reason: 'large premium', status: 'open' });
    assert.equal(task.failure, 'Not enough money on the account today. A retry near payday often works.');
    assert.equal((await api('POST', `/api/recovery/tasks/${task.id}/claim`, anaToken)).statusCode, 200);
    const taken = await api('POST', `/api/recovery/tasks/${task.id}/claim`, boToken);
    assert.equal(taken.statusCode, 409);
    assert.match(taken.body, /another specialist has claimed this task/);
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/recovery/tasks' })).statusCode, 401);
    assert.equal((await chargeDue({ dueId: m.dueId, channel: 'ivr', paymentMethodId: 'pm_card_visa' }, h.payments.deps)).outcome, 'succeeded');
    await waitFor(async () => ((await h.t.db.query('select status from recovery_tasks where id = $1', [task.id])).rows[0].status === 'cancelled' ? true : null));
  });

  test('the debit run charges today\'s dues off-session: a decline starts recovery, an approval does not, a due already tried is left alone', async () => {
    clock.set(START);
    const declined = await holder();
    const approved = await holder('pm_card_visa');
    const tried = await holder();
    // The customer tried by phone this morning (declined there, with them on the line: no recovery from that).
    assert.equal((await chargeDue({ dueId: tried.dueId, channel: 'ivr' }, h.payments.deps)).outcome, 'failed');
    const text = h.carrier.messages.next({ to: declined.phone }, 15_000);
    const run = await queueDebitRun({ db: h.t.db, dispatch: h.dispatcher.dispatch }, { now: clock.now(), homeZone: 'America/New_York' });
    assert.ok(run.queued >= 2, `queued ${run.queued}`);
    assert.match((await text).body, /did not go through\. Pay securely at http/);
    await waitFor(async () => ((await h.t.db.query(`select status from premium_dues where id = $1`, [approved.dueId])).rows[0].status === 'paid' ? true : null));
    await waitFor(async () => ((await session(declined.dueId))?.state === 'waiting' ? true : null));
    assert.equal(await session(approved.dueId), undefined, 'no recovery for a paid due');
    const triedAttempts = (await h.t.db.query(`select channel from payment_attempts where due_id = $1`, [tried.dueId])).rows.map((r) => r.channel);
    assert.deepEqual(triedAttempts, ['ivr'], 'not debited behind the customer\'s back');
    assert.equal(await session(tried.dueId), undefined);
    // Run again the same day: nothing is charged twice.
    const again = await queueDebitRun({ db: h.t.db, dispatch: h.dispatcher.dispatch }, { now: clock.now(), homeZone: 'America/New_York' });
    assert.equal(again.queued, 0);
  });

  test('the recovery call: the customer answers on day 1 and presses 2, the pay link is texted; pressing 0 on a later call sends the rest to a person', async () => {
    const m = await recovering();
    h.carrier.onCall = (c) => (c.to === m.phone ? { input: createScriptedInput([{ digits: '2' }], { pauseMsPerSecond: 50 }) } : { status: 'no-answer' });
    const link = h.carrier.messages.next((x) => x.to === m.phone && /securely here/.test(x.body), 15_000);
    await nextWake(m.dueId); // day 1, 10:00: the call
    await h.carrier.idle();
    assert.match((await link).body, /pay \$124\.50 for policy .* securely here: http/);
    h.carrier.onCall = (c) => (c.to === m.phone ? { input: createScriptedInput([{ digits: '0' }], { pauseMsPerSecond: 50 }) } : { status: 'no-answer' });
    await nextWake(m.dueId); // day 3: the retry
    await nextWake(m.dueId); // day 5: the reminder
    await nextWake(m.dueId); // day 7: the second call, where they press 0
    await h.carrier.idle();
    const task = await waitFor(async () => (await h.t.db.query(`select reason, status from recovery_tasks where due_id = $1`, [m.dueId])).rows[0]);
    assert.deepEqual(task, { reason: 'the customer asked for a person', status: 'open' });
  });

  test('a debit the insurer\'s billing made (imported) is never charged by us beside it: its retries become pay-link texts', async () => {
    clock.set(START);
    const m = await holder('pm_card_visa');
    const operator = (await createApiToken(h.t.db, clock, { name: 'billing', role: 'operator' })).token;
    const res = await h.app.inject({
      method: 'POST', url: '/api/failed-debits', headers: { authorization: `Bearer ${operator}` },
      payload: { rows: [{ debit_ref: `ACH-${m.dueId}`, policy_number: m.policyNumber, due_date: '2026-12-03', amount: '124.50', failed_at: '2026-12-03T11:00:00Z', method: 'bank', return_code: 'R01', reason: 'NSF' }] },
    });
    assert.equal(res.statusCode, 200, res.body);
    await waitFor(async () => ((await session(m.dueId))?.state === 'waiting' ? true : null));
    await nextWake(m.dueId); // day 1: the call
    await nextWake(m.dueId); // day 3: the retry
    const retry = (await recoveryParts(m.dueId)).find((e) => e.type === 'recovery.step' && e.payload.stepId === 'first-retry');
    assert.deepEqual({ outcome: retry?.payload.outcome, replacedBy: retry?.payload.replacedBy }, { outcome: 'done', replacedBy: 'sms-pay-link' });
    const charges = (await h.t.db.query(`select channel from payment_attempts where due_id = $1`, [m.dueId])).rows.map((r) => r.channel);
    assert.deepEqual(charges, ['import'], 'the card on file was not charged');
    assert.equal((await h.t.db.query(`select status from premium_dues where id = $1`, [m.dueId])).rows[0].status, 'failed');
  });

  test('the report: the funnel by step, the recovery rate, amounts and channels, as JSON for an operator and as a table from the CLI', async () => {
    const operator = (await createApiToken(h.t.db, clock, { name: 'ops-report', role: 'operator' })).token;
    const res = await h.app.inject({ method: 'GET', url: '/api/recovery/report?from=2026-12-01&to=2026-12-31', headers: { authorization: `Bearer ${operator}` } });
    assert.equal(res.statusCode, 200, res.body);
    const r = res.json();
    const rows = (await h.t.db.query(`select count(*)::int as n, count(*) filter (where outcome in ('paid', 'reinstated'))::int as rec from recoveries`)).rows[0];
    assert.equal(r.started, rows.n);
    assert.equal(r.recovered, rows.rec);
    assert.ok(r.recovered >= 3, 'paid after the text, reinstated, paid on the large premium');
    assert.equal(r.reinstated, 1);
    // Every recovery texted its pay link at once; the one paid right after it is credited to that step.
    const payLink = r.funnel.find((s: { stepId: string }) => s.stepId === 'pay-link');
    assert.equal(payLink.reached, r.started);
    assert.ok(payLink.recoveredAfter >= 1);
    assert.deepEqual(r.funnel.slice(0, 3).map((s: { stepId: string }) => s.stepId), ['pay-link', 'first-call', 'first-retry']);
    assert.ok(r.byChannel.some((c: { channel: string }) => c.channel === 'ivr'));
    assert.ok(r.hoursToRecovery.median > 0);
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/recovery/report?from=2026-12-31&to=2026-12-01', headers: { authorization: `Bearer ${operator}` } })).statusCode, 400);

    let out = '';
    let err = '';
    const io = { stdout: { write: (x: string) => { out += x; return true; } }, stderr: { write: (x: string) => { err += x; return true; } } } as unknown as { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream };
    const deps = { db: h.t.db, clock, ...io, scheduleSteps: r.funnel.map((s: { stepId: string }) => s.stepId).filter((s: string) => s !== 'before-any-step') };
    assert.equal(await runReportCli(['recovery', '--from', '2026-12-01', '--to', '2026-12-31'], deps), 0);
    assert.match(out, /started \d+, recovered \d+ \(reinstated 1\)/);
    assert.match(out, /^step\s+reached\s+of started\s+paid after\s+amount after$/m);
    assert.match(out, /^pay-link\s+\d+\s+100\.0%/m);
    assert.equal(await runReportCli(['recovery', '--from', 'yesterday'], deps), 64);
    assert.match(err, /--from must be a date YYYY-MM-DD/);
  });

  test('paid on the recovery call: the customer gave a new card, answers on day 1, presses 1; the flow stops', async () => {
    const m = await recovering();
    await savePaymentMethod({ policyholderId: m.policyholderId, paymentMethodId: 'pm_card_visa' }, h.payments.deps);
    h.carrier.onCall = (c) => (c.to === m.phone ? { input: createScriptedInput([{ digits: '1' }], { pauseMsPerSecond: 250 }) } : { status: 'no-answer' });
    await nextWake(m.dueId); // day 1, 10:00: the call
    await waitFor(async () => ((await session(m.dueId))?.status === 'done' ? true : null), 20_000);
    await waitFor(async () => ((await steps(m.dueId)).some(([t]) => t === 'recovery.finished') ? true : null));
    assert.deepEqual((await steps(m.dueId)).at(-1), ['recovery.finished', 'paid']);
    const paid = (await h.t.db.query(`select paid_channel from recoveries where due_id = $1`, [m.dueId])).rows[0];
    assert.ok(paid.paid_channel, 'the paying channel is recorded');
  });

  test('a voicemail, then paid by the pay link: the flow stops and nothing more is scheduled', async () => {
    const m = await recovering();
    h.carrier.onCall = (c) => (c.to === m.phone ? { answeredBy: 'machine_end_beep', machineDetectionMs: 4000 } : { status: 'no-answer' });
    await nextWake(m.dueId); // day 1: the call reaches voicemail
    await h.carrier.idle();
    const call = h.carrier.calls.entries.find((c) => c.to === m.phone);
    assert.ok(call, 'the call was placed');
    assert.equal((await chargeDue({ dueId: m.dueId, channel: 'sms-link', paymentMethodId: 'pm_card_visa' }, h.payments.deps)).outcome, 'succeeded');
    await waitFor(async () => ((await session(m.dueId))?.status === 'done' ? true : null));
    await waitFor(async () => ((await steps(m.dueId)).some(([t]) => t === 'recovery.finished') ? true : null));
    const wakes = (await h.t.db.query(`select count(*)::int as n from outbox where topic = 'recovery.wake' and payload->>'dueId' = $1 and completed_at is null and cancelled_at is null`, [m.dueId])).rows[0].n;
    assert.equal(wakes, 0, 'nothing more is scheduled');
  });

  test('opted out half-way: after STOP no more texts; the reminder becomes a call, since voice consent remains', async () => {
    const m = await recovering();
    h.carrier.onCall = () => ({ status: 'no-answer' });
    await nextWake(m.dueId); // day 1: the call
    const stop = await h.sim.sendSms({ from: m.phone, to: '+18005550100', body: 'STOP' });
    assert.equal(stop.exchange.status, 200);
    await nextWake(m.dueId); // day 3: the retry
    await nextWake(m.dueId); // day 5: the reminder
    const reminder = (await recoveryParts(m.dueId)).find((e) => e.type === 'recovery.step' && e.payload.stepId === 'reminder');
    assert.deepEqual({ does: reminder?.payload.does, channel: reminder?.payload.channel, outcome: reminder?.payload.outcome }, { does: 'reminder-sms', channel: 'voice', outcome: 'done' });
    assert.match(String(reminder?.payload.why), /consent|text/i);
    const notices = (await h.t.db.query(`select kind from notice_jobs where due_id = $1`, [m.dueId])).rows.map((r) => r.kind);
    assert.deepEqual(notices, ['payment-failed'], 'only the text before the STOP');
    assert.equal(h.carrier.calls.entries.filter((c) => c.to === m.phone).length, 2, 'the day-1 call and the reminder as a call');
  });
});
