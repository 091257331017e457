import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test, type TestContext } from 'node:test';
import { startFaultRig, type FaultRig, type Holder } from './fault-rig.js';
import { brokenPromises, ledgerOf, settle, tally } from './ledger.js';

// Faults while simulated callers pay their premiums through the whole gateway (web and worker as
// their own processes, private Postgres and Redis, fake Stripe and Twilio behind the real SDKs).
// After each fault the gateway must settle (every outbox row completed, no charge left pending)
// with every due charged at most once, paid exactly when charged, and its receipt texted exactly
// once. Figures go to the test's diagnostics (the closing note quotes them).

let rig: FaultRig;
before(async () => {
  rig = await startFaultRig();
});
after(async () => {
  await rig?.close();
});

/** Places one paying call per holder, `spacingMs` apart, and waits for all of them. */
const payAll = async (holders: readonly Holder[], spacingMs: number) =>
  Promise.all(holders.map(async (h, i) => {
    await sleep(i * spacingMs);
    return rig.payCall(h);
  }));

/** Each holder texts HELP while the calls run: every text gets an answer the carrier can use (no 5xx). */
const textAll = async (holders: readonly Holder[], spacingMs: number) => {
  const results = await Promise.all(holders.map(async (h, i) => {
    await sleep(i * spacingMs);
    return rig.text(h, 'HELP');
  }));
  assert.deepEqual(results.flatMap((r) => (r.error ? [`${r.messageSid}: ${r.error}`] : [])), []);
  const apologies = results.filter((r) => r.replies.some((m) => /technical problem/.test(m.body))).length;
  assert.equal(results.length - apologies, results.filter((r) => r.replies.some((m) => /Reply STOP to opt out/.test(m.body))).length,
    'every text got the HELP answer or the apology');
  return { texts: results.length, apologies };
};

/** Every call heard valid TwiML (no 5xx, no dead air) whatever broke underneath. */
const assertCallsHeldUp = (calls: Awaited<ReturnType<typeof payAll>>) => {
  const broken = calls.flatMap((c) => c.errors.map((e) => `${c.callSid}: ${e}`));
  assert.deepEqual(broken, []);
};

/** Settles, checks the promises, reports the figures, and returns the holders whose due is still open. */
const settleAndCheck = async (t: TestContext, holders: readonly Holder[], label: string, timeoutMs = 90_000) => {
  await settle(rig.db, timeoutMs);
  const ledger = await ledgerOf(rig, holders);
  assert.deepEqual(brokenPromises(ledger), [], label);
  t.diagnostic(`${label}: ${JSON.stringify(tally(ledger))}`);
  return holders.filter((h) => ledger.find((d) => d.phone === h.phone)!.status !== 'paid');
};

/** Callers whose call fell in an outage call again: afterwards every due is paid, once. */
const payTheRest = async (t: TestContext, holders: readonly Holder[], open: readonly Holder[], label: string) => {
  if (open.length) assertCallsHeldUp(await payAll(open, 100));
  const stillOpen = await settleAndCheck(t, holders, `${label}, after ${open.length} called again`);
  assert.deepEqual(stillOpen.map((h) => h.phone), []);
};

describe('faults under load: nothing lost, nothing doubled', { timeout: 600_000 }, () => {
  test('Stripe and Twilio drop connections, answer 5xx and slowly: every due charged once, every receipt sent once', async (t) => {
    const holders = await rig.seedHolders(10, '+120255510');
    rig.stripe.failNext({ kind: 'network', when: 'before' });
    rig.stripe.failNext({ kind: 'network', when: 'after' });
    rig.stripe.failNext({ kind: 'error', status: 500, times: 2 });
    rig.stripe.failNext({ kind: 'slow', ms: 1_500 });
    rig.carrier.failNext({ kind: 'error', status: 503, times: 2 });
    rig.carrier.failNext({ kind: 'network', when: 'after' });
    rig.carrier.failNext({ kind: 'network', when: 'before' });
    rig.carrier.failNext({ kind: 'slow', ms: 1_000 });
    assertCallsHeldUp(await payAll(holders, 150));
    const open = await settleAndCheck(t, holders, 'provider faults');
    assert.deepEqual(open.map((h) => h.phone), [], 'a provider fault is retried until the charge and the receipt go through');
  });

  test('Postgres stopped and restarted mid-load: callers hear an apology, texts get an answer, never a 5xx; nothing half-done', async (t) => {
    const holders = await rig.seedHolders(10, '+120255520');
    const calls = payAll(holders, 200);
    const texts = textAll(holders, 250);
    await sleep(700);
    await rig.stopPostgres();
    // A customer opts out while Postgres is down: confirmed at once, recorded when it is back.
    const stopper = '+12025552099';
    const outage = { from: Date.now() };
    const stop = await rig.sim.sendSms({ from: stopper, to: '+18005550100', body: 'Stop' });
    await sleep(1_500);
    await rig.startPostgres();
    const [callResults, textResults] = await Promise.all([calls, texts]);
    assertCallsHeldUp(callResults);
    t.diagnostic(`texts during the Postgres restart: ${JSON.stringify(textResults)}`);
    assert.equal(stop.exchange.status, 200);
    assert.match(stop.replies.map((r) => r.body).join(' '), /no longer receive text messages/, 'STOP is confirmed while Postgres is down');
    const consentOf = async () => (await rig.db.query(`select granted, recorded_at from consents where phone_e164 = $1 and channel = 'sms'`, [stopper])).rows[0];
    const deadline = Date.now() + 15_000;
    while (!(await consentOf().catch(() => undefined)) && Date.now() < deadline) await sleep(200);
    const recorded = await consentOf();
    assert.equal(recorded?.granted, false, 'the spooled STOP is applied once Postgres is back');
    assert.ok(recorded.recorded_at.getTime() >= outage.from - 1_000 && recorded.recorded_at.getTime() <= outage.from + 5_000, 'with the time it came');
    const open = await settleAndCheck(t, holders, 'Postgres restart');
    await payTheRest(t, holders, open, 'Postgres restart');
    assert.equal(rig.web().exited() || rig.worker().exited(), false, 'web and worker rode out the outage');
  });

  test('Redis restarted without its data mid-load: lost jobs are found and run once', async (t) => {
    const holders = await rig.seedHolders(10, '+120255530');
    // why: slow charges keep jobs waiting in Redis when it goes, so some are lost with it.
    rig.stripe.failNext({ kind: 'slow', ms: 1_000, times: 8 });
    const calls = payAll(holders, 100);
    const texts = textAll(holders, 250);
    await sleep(1_500);
    const waiting = await rig.db.query<{ n: number }>('select count(*)::int as n from outbox where dispatched_at is not null and completed_at is null');
    await rig.stopRedis({ loseData: true });
    await sleep(2_000);
    await rig.startRedis();
    assertCallsHeldUp((await Promise.all([calls, texts]))[0]);
    const open = await settleAndCheck(t, holders, 'Redis restart without data');
    t.diagnostic(`jobs dispatched and not completed when Redis went: ${waiting.rows[0]!.n}`);
    await payTheRest(t, holders, open, 'Redis restart without data');
    assert.equal(rig.web().exited() || rig.worker().exited(), false, 'web and worker rode out the outage');
  });

  test('the worker killed while Twilio has its receipt: the next run finds the text sent and does not send it again', async (t) => {
    const [holder] = await rig.seedHolders(1, '+120255540');
    const held = rig.carrier.holdNext({ when: 'after' });
    const call = rig.payCall(holder!);
    await held.arrived;
    await rig.killWorker();
    held.release();
    assertCallsHeldUp([await call]);
    await rig.startWorker();
    // why: BullMQ hands a killed worker's job to another once its lock runs out (30 s by default).
    const open = await settleAndCheck(t, [holder!], 'worker killed mid-send', 150_000);
    assert.deepEqual(open, []);
    const sends = rig.carrier.messages.entries.filter((m) => m.to === holder!.phone);
    assert.equal(sends.length, 1, 'one text created at the carrier');
  });

  test('the worker killed mid-batch of notices: every notice texted once, none lost, none twice', async (t) => {
    const holders = await rig.seedHolders(40, '+120255550');
    const batch = await rig.sendNotices('welcome', holders.map((h) => h.policyNumber));
    assert.equal(batch.status, 202);
    assert.equal(batch.body.queued, 40);
    const phones = new Set(holders.map((h) => h.phone));
    const sent = () => rig.carrier.messages.entries.filter((m) => phones.has(m.to));
    const deadline = Date.now() + 20_000;
    while (sent().length < 8 && Date.now() < deadline) await sleep(50);
    await rig.killWorker();
    const beforeKill = sent().length;
    await rig.startWorker();
    // why: BullMQ hands a killed worker's active jobs to another once their lock runs out (30 s by default).
    await settle(rig.db, 150_000);
    const perPhone = holders.map((h) => sent().filter((m) => m.to === h.phone).length);
    t.diagnostic(`notices: 40 queued, ${beforeKill} texted before the kill, ${sent().length} after; per number ${JSON.stringify(perPhone)}`);
    assert.ok(beforeKill > 0 && beforeKill < 40, `the kill came mid-batch (${beforeKill} of 40 sent)`);
    assert.deepEqual(perPhone, holders.map(() => 1), 'each holder got exactly one welcome notice');
  });

  test('the worker killed while recoveries run their first step: every pay link texted once, none lost, none twice', async (t) => {
    const holders = await rig.seedHolders(30, '+120255560');
    const rows = holders.map((h, i) => ({
      debit_ref: `FAULT-RCV-${i}`, policy_number: h.policyNumber, due_date: '2026-12-01', amount: '124.50',
      failed_at: new Date().toISOString(), method: 'bank', return_code: 'R01', reason: 'NSF',
    }));
    const report = await rig.reportFailedDebits(rows);
    assert.equal(report.status, 200, JSON.stringify(report.body));
    const phones = new Set(holders.map((h) => h.phone));
    const texted = () => rig.carrier.messages.entries.filter((m) => phones.has(m.to) && /did not go through/.test(m.body));
    const deadline = Date.now() + 30_000;
    while (texted().length < 5 && Date.now() < deadline) await sleep(50);
    await rig.killWorker();
    const beforeKill = texted().length;
    await rig.startWorker();
    // why: BullMQ hands a killed worker's active jobs to another once their lock runs out (30 s by default).
    const ran = async () => (await rig.db.query<{ n: number }>(
      `select count(*)::int as n from recoveries where due_id = any($1::uuid[]) and 'pay-link' = any(steps_done)`, [holders.map((h) => h.dueId)])).rows[0]!.n;
    const until = Date.now() + 150_000;
    while ((await ran().catch(() => 0)) < holders.length && Date.now() < until) await sleep(500);
    while (texted().length < holders.length && Date.now() < until) await sleep(200);
    const perPhone = holders.map((h) => texted().filter((m) => m.to === h.phone).length);
    t.diagnostic(`recoveries: 30 started, ${beforeKill} texted before the kill, ${texted().length} after; per number ${JSON.stringify(perPhone)}`);
    assert.ok(beforeKill < holders.length, `the kill came before every first step ran (${beforeKill} of 30)`);
    assert.deepEqual(perPhone, holders.map(() => 1), 'each recovery texted its pay link exactly once');
    const steps = await rig.db.query<{ steps: string[] }>('select steps_done as steps from recoveries where due_id = any($1::uuid[])', [holders.map((h) => h.dueId)]);
    assert.deepEqual(steps.rows.map((r) => r.steps), holders.map(() => ['pay-link']), 'the first step recorded once per recovery');
    const wakes = await rig.db.query<{ n: number }>(
      `select count(*)::int as n from outbox where topic = 'recovery.wake' and completed_at is null and cancelled_at is null and payload->>'dueId' = any($1::text[])`,
      [holders.map((h) => h.dueId)]);
    assert.equal(wakes.rows[0]!.n, holders.length, 'one next wake per recovery (day 1), none lost, none doubled');
    // why: the schedules' next steps are days away; stop them so the gateway settles for the checks after this one.
    await rig.db.query(`update outbox set cancelled_at = now() where topic = 'recovery.wake' and completed_at is null and cancelled_at is null`);
  });

  test('afterwards `npm run verify` passes over every chain and the Merkle log', async () => {
    const { code, output } = await rig.verify();
    assert.equal(code, 0, output);
  });
});
