import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openSession } from '../../src/console/console-sessions.js';
import { createConsoleUser } from '../../src/console/console-users.js';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import { complianceRoutes } from '../../src/evidence/compliance.routes.js';
import { createPolicyPaymentRecords } from '../../src/payments/policy-payment-records.js';
import { claimRecoveryTask, openRecoveryTask } from '../../src/recovery/recovery-tasks.js';
import { specialistsRoutes } from '../../src/retention/specialists.routes.js';
import { systemClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import type { CallAnswer } from '../../src/telephony/simulator/fake-call-runner.js';
import { createScriptedInput } from '../../src/telephony/simulator/index.js';
import { launchBrowser, newPage, signInAs } from '../support/browser.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedDue, seedPolicyholder, seedSmsConsent, seedSpecialist } from '../support/seed.js';
import { waitFor } from '../support/wait-for.js';
import { sequenceAll, testSigner } from '../evidence/support.js';

// The specialist console in Debian's chromium against the whole gateway (harness: the app listening on
// loopback, the real outbox worker, the carrier simulator behind the real twilio SDK): a warm transfer
// pops up before the specialist accepts, its outcome is recorded from the page and shows in the
// policy's compliance timeline; availability, callbacks and recovery tasks.

const PASSWORD = 'correct horse battery';
const SPECIALIST_PHONE = '+15550100201';
const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">';
const SCRIPT_NAME = '<script>window.__xss=2</script>';

let h: GatewayHarness;
let browser: Browser;
let specialistId: string;
let otherSpecialistId: string;
let complianceToken: string;

before(async () => {
  [h, browser] = await Promise.all([
    startGatewayHarness({
      plugins: (db, clock) => [
        complianceRoutes({
          db, clock, signer: testSigner(), zone: 'America/New_York', payments: createPolicyPaymentRecords(db),
          kickSequencer: async () => void (await sequenceAll(db, clock)),
        }),
        specialistsRoutes({ db, clock, homeZone: 'America/New_York' }),
      ],
    }),
    launchBrowser(),
  ]);
  specialistId = await seedSpecialist(h.t.db, { name: 'Grace Holt', phone: SPECIALIST_PHONE, alwaysOn: true, availability: 'away' });
  otherSpecialistId = await seedSpecialist(h.t.db, { name: 'Omar Other', phone: '+15550100202', alwaysOn: true, availability: 'away' });
  await createConsoleUser(h.t.db, systemClock, { username: 'grace', displayName: 'Grace Holt', role: 'specialist', password: PASSWORD, specialistId });
  complianceToken = (await createApiToken(h.t.db, systemClock, { name: 'compliance-reader', role: 'compliance' })).token;
});
after(async () => {
  await browser?.close();
  await h?.close();
});

const signedIn = async (viewport: 'desktop' | 'phone' = 'desktop') => {
  const p = await newPage(browser, viewport);
  await signInAs(p.page, h.url, 'grace', PASSWORD);
  assert.match(p.page.url(), /\/console\/specialist$/);
  return p;
};

const xssRan = (page: Page) => page.evaluate('window.__xss') as Promise<unknown>;

/** A holder of an auto policy with a premium due and a declined card payment on it. */
const holder = async (firstName: string, n: number) => {
  const phone = `+1202555${8700 + n}`;
  const m = await seedPolicyholder(h.t.db, { firstName, phone, policyNumber: `HM-S-${500 + n}` });
  const due = await seedDue(h.t.db, m.policyId, 12_450, '2026-12-15');
  await h.t.db.query(
    `insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, status, amount_cents, decline_code, decline_class, failure_reason, created_at)
     values ($1, $2, 1, 'retry', $3, 'failed', 12450, 'insufficient_funds', 'retry-later', 'The account had too little money for the payment.', now() - interval '2 days')`,
    [newId(), due, `test-${newId()}`],
  );
  await seedSmsConsent(h.t.db, phone);
  return { ...m, due };
};

const transferOf = async (phone: string) =>
  (await h.t.db.query<{ id: string; status: string; specialist_id: string | null }>(
    'select id, status, specialist_id from warm_transfers where caller_phone = $1 order by requested_at desc limit 1', [phone])).rows[0];

test('availability: the switch saves the state, which a reload reads back', async () => {
  const { context, page, errors } = await signedIn();
  const now = page.getByTestId('availability-now');
  await now.getByText('Away').waitFor();
  await page.getByRole('button', { name: 'Busy' }).click();
  await page.getByTestId('availability-now').getByText('Busy').waitFor();
  assert.equal((await h.t.db.query('select availability from retention_specialists where id = $1', [specialistId])).rows[0].availability, 'busy');
  await page.reload();
  await page.getByTestId('availability-now').getByText('Busy').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Busy' }).getAttribute('aria-pressed'), 'true');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a warm transfer placed through the carrier simulator pops up before accept; the outcome recorded on the page is in the policy\'s timeline', async () => {
  const { context, page, errors } = await signedIn();
  await page.getByRole('button', { name: 'Available' }).click();
  await page.getByTestId('availability-now').getByText('Available').waitFor();
  await page.getByTestId('feed').getByText(/^Live/).waitFor();
  const m = await holder(HOSTILE_NAME, 1);

  // The specialist's phone rings until the test answers it; once connected, the call holds until the test lets it end.
  let answer!: (a: CallAnswer) => void;
  const answered = new Promise<CallAnswer>((resolve) => (answer = resolve));
  let hangUp!: () => void;
  const talking = new Promise<void>((resolve) => (hangUp = resolve));
  h.carrier.onCall = (c) => (c.to === SPECIALIST_PHONE ? answered : { status: 'no-answer' });
  // 3 cancel, 1 too expensive, 0 at the first offer: a person.
  const call = h.carrier.placeCall({ from: m.phone, to: '+18005550100', input: createScriptedInput([{ digits: '3' }, { digits: '1' }, { digits: '0' }]) });

  const pop = page.getByTestId('pop');
  await pop.getByTestId('pop-name').waitFor({ timeout: 15_000 });
  // Before accept: the transfer rings, the leg is open, and the page shows the screen pop.
  const t = await transferOf(m.phone);
  assert.equal(t?.status, 'ringing');
  assert.deepEqual((await h.t.db.query('select status from transfer_legs where transfer_id = $1', [t!.id])).rows.map((r) => r.status).filter((s) => ['accepted', 'completed'].includes(s)), []);
  assert.match(await pop.getByTestId('pop-state').innerText(), /Your phone is ringing: answer it and press 1 to accept/);
  assert.equal(await pop.getByTestId('pop-kind').innerText(), 'Transfer');
  assert.equal(await pop.getByTestId('pop-name').innerText(), `${HOSTILE_NAME} Tester`);
  assert.equal(await pop.getByTestId('pop-policy').innerText(), m.policyNumber);
  const facts = await pop.getByTestId('pop-facts').innerText();
  assert.match(facts, /Wants to cancel: it costs too much/);
  assert.match(facts, /\$124\.50 monthly/);
  assert.match(await pop.getByTestId('pop-failures').innerText(), /\$124\.50 automatic retry was declined\. The account had too little money for the payment\. In short: may go through later/);
  assert.match(await pop.getByTestId('pop-premiums').innerText(), /Dec 15, 2026\s+\$124\.50\s+not paid yet/);
  const thisCall = await pop.getByTestId('pop-this-call').innerText();
  assert.match(thisCall, /Pressed 3[\s\S]*Pressed 1[\s\S]*Pressed 0/);
  assert.match(thisCall, /Heard: “/);
  assert.equal(await page.locator('img').count(), 0, 'the hostile name made no element');

  // The specialist answers, hears the whisper and presses 1: the pop says they are on the call and asks for the outcome.
  answer({
    input: createScriptedInput([{ digits: '1' }, { dial: { status: 'answered', duration: 60 } }], {
      onEvent: async (e) => {
        if (e.type === 'say' && /Connecting you now/.test(e.text)) await talking;
      },
    }),
  });
  await pop.getByTestId('pop-state').getByText('On the call.').waitFor({ timeout: 15_000 });
  assert.equal((await transferOf(m.phone))?.status, 'bridged');

  // A refusal shows the API's reason (an auto policy has no lower sum insured); then the date is moved.
  const status = pop.getByTestId('outcome-status');
  await pop.getByTestId('outcome').selectOption('downgraded');
  await pop.locator('select[name=to]').selectOption('sum');
  await pop.getByRole('button', { name: 'Record the outcome' }).click();
  await status.locator('.problem').waitFor();
  assert.equal(await status.innerText(), 'Not recorded: no lower sum insured for this auto policy');
  await pop.getByTestId('outcome').selectOption('payment-date-moved');
  await pop.locator('input[name=day]').fill('20');
  await pop.getByRole('button', { name: 'Record the outcome' }).click();
  await status.locator('.notice').waitFor();
  assert.match(await status.innerText(), /^Recorded: Payment date moved\. The gateway is carrying it out\./);
  const decision = 'payment-date-moved';

  hangUp();
  await call;
  await h.carrier.idle();
  await pop.getByTestId('pop-state').getByText('The call has ended.').waitFor({ timeout: 15_000 });
  assert.equal((await transferOf(m.phone))?.status, 'ended');

  // The compliance timeline of the policy holds the specialist's decision and what the gateway did with it.
  const today = new Date().toISOString().slice(0, 10);
  const timeline = async () => {
    const res = await fetch(`${h.url}/api/compliance/policies/${m.policyNumber}/timeline?from=2026-01-01&to=${today}`, { headers: { authorization: `Bearer ${complianceToken}` } });
    assert.equal(res.status, 200);
    return (await res.json()) as { entries: { type: string; payload: Record<string, unknown> }[] };
  };
  const outcome = await waitFor(async () => (await timeline()).entries.find((e) => e.type === 'transfer.outcome' && (e.payload.decision as { outcome?: string } | undefined)?.outcome === decision));
  assert.equal(outcome.payload.by, 'grace', 'the console user (by username) who recorded it');
  assert.equal(outcome.payload.specialistId, specialistId);
  const applied = await waitFor(async () => (await timeline()).entries.find((e) => e.type === 'retention.offer-applied'));
  assert.match(JSON.stringify(applied.payload), /2026-12-20/);
  assert.equal(await xssRan(page), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a booked callback ringing the specialist pops up as a callback, with the call that booked it; it ends when they do not answer', async () => {
  await h.t.db.query(`update retention_specialists set availability = 'away'`);
  const m = await holder('Casey', 4);
  // Nobody available: the caller is offered a callback and presses 1 (3 cancel, 1 too expensive, 0 a person, 1 call me back).
  h.carrier.onCall = () => ({ status: 'no-answer' });
  const booked = await h.carrier.placeCall({ from: m.phone, to: '+18005550100', input: createScriptedInput([{ digits: '3' }, { digits: '1' }, { digits: '0' }, { digits: '1' }]) });
  await h.carrier.idle();
  assert.deepEqual(booked.errors, []);
  const cb = await waitFor(async () => (await h.t.db.query<{ id: string }>('select id from callback_requests where phone_e164 = $1', [m.phone])).rows[0]);

  const { context, page, errors } = await signedIn();
  await page.getByTestId('callbacks-table').locator(`tr[data-callback="${cb.id}"]`).getByText('Casey Tester').waitFor();
  await page.getByRole('button', { name: 'Available' }).click();
  await page.getByTestId('availability-now').getByText('Available').waitFor();
  await page.getByTestId('feed').getByText(/^Live/).waitFor();

  // The callback's first attempt runs now (its delayed job promoted): the specialist is rung first.
  let ring!: (a: CallAnswer) => void;
  h.carrier.onCall = (c) => (c.to === SPECIALIST_PHONE ? new Promise<CallAnswer>((resolve) => (ring = resolve)) : { status: 'no-answer' });
  const row = await waitFor(async () => (await h.t.db.query<{ id: string }>(
    `select id from outbox where topic = 'callbacks.run' and payload->>'callbackId' = $1 and (payload->>'attempt')::int = 1`, [cb.id])).rows[0]);
  const job = await waitFor(async () => (await h.queue.getJob(row.id)) ?? null);
  if ((await job.getState()) === 'delayed') await job.promote();

  const pop = page.getByTestId('pop');
  await pop.getByTestId('pop-kind').waitFor({ timeout: 15_000 });
  assert.equal(await pop.getByTestId('pop-kind').innerText(), 'Callback');
  assert.match(await pop.locator('h2').innerText(), /^Callback to make/);
  assert.match(await pop.getByTestId('pop-state').innerText(), /ringing for a callback: answer it and press 1 to call the customer/);
  assert.equal(await pop.getByTestId('pop-name').innerText(), 'Casey Tester');
  assert.match(await pop.innerText(), /What they did in the call that booked it/);
  assert.match(await pop.getByTestId('pop-this-call').innerText(), /Pressed 3[\s\S]*Pressed 0[\s\S]*Pressed 1/);

  // Nobody picks up: the pop says it no longer rings, and can be dismissed.
  ring({ status: 'no-answer' });
  await pop.getByTestId('pop-state').getByText(/No longer ringing/).waitFor({ timeout: 15_000 });
  await pop.getByRole('button', { name: 'Dismiss' }).click();
  assert.equal(await page.getByTestId('pop').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('callbacks and recovery tasks show a hostile name as text; a task someone else claimed first shows the 409 reason', async () => {
  const a = await holder(SCRIPT_NAME, 2);
  const b = await holder(HOSTILE_NAME, 3);
  await h.t.db.query(
    `insert into callback_requests (id, phone_e164, policyholder_id, policy_id, reason, locale, requested_at, slot_at) values ($1, $2, $3, $4, 'cancel', 'en-US', now(), now() + interval '1 hour')`,
    [newId(), a.phone, a.policyholderId, a.policyId],
  );
  const task = (await openRecoveryTask(h.t.db, { dueId: b.due, policyId: b.policyId, stepId: 'person-call', reason: 'the customer asked for a person', failure: 'The card was declined: not enough money.' }, new Date())).task;
  const { context, page, errors } = await signedIn('phone');

  const callback = page.getByTestId('callbacks-table').locator('tr', { hasText: a.phone });
  await callback.waitFor();
  assert.match(await callback.innerText(), new RegExp(`${SCRIPT_NAME.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} Tester[\\s\\S]*${a.policyNumber}[\\s\\S]*Wants to cancel[\\s\\S]*To call`));
  const row = page.getByTestId('tasks-table').locator(`tr[data-task="${task.id}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /the customer asked for a person[\s\S]*The card was declined: not enough money\.[\s\S]*Open/);
  assert.equal(await row.locator('.name').innerText(), `${HOSTILE_NAME} Tester`);
  assert.equal(await page.locator('img, main script').count(), 0, 'no element made from a name');

  // Another specialist claims it while this page shows it open: Claim is refused with the API's reason.
  assert.ok(await claimRecoveryTask(h.t.db, task.id, otherSpecialistId, new Date()));
  await row.getByRole('button', { name: 'Claim' }).click();
  await page.getByTestId('task-problem').waitFor();
  assert.equal(await page.getByTestId('task-problem').innerText(), 'Not claimed: another specialist has claimed this task');
  assert.match(await page.getByTestId('tasks-table').locator(`tr[data-task="${task.id}"]`).innerText(), /Claimed by Omar Other/);

  // At a phone's width the main content does not scroll sideways.
  const overflow = await page.evaluate('({ doc: document.documentElement.scrollWidth, view: window.innerWidth, main: document.querySelector("main").scrollWidth })') as { doc: number; view: number; main: number };
  assert.ok(overflow.doc <= overflow.view && overflow.main <= overflow.view, `overflow at 390px: ${JSON.stringify(overflow)}`);
  assert.equal(await xssRan(page), undefined);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the live feed refuses a request without a specialist\'s session, with a JSON reason; a probe gets one round, a follower a stream', async () => {
  const none = await fetch(`${h.url}/console/specialist/events`, { headers: { accept: 'text/event-stream' } });
  assert.equal(none.status, 401);
  assert.match(((await none.json()) as { message: string }).message, /sign in first/);
  const other = await createConsoleUser(h.t.db, systemClock, { username: 'olga', role: 'operator', password: PASSWORD });
  const operator = await openSession(h.t.db, systemClock, other.id);
  const refused = await fetch(`${h.url}/console/specialist/events`, { headers: { accept: 'text/event-stream', cookie: `gw_session=${operator.cookieValue}` } });
  assert.equal(refused.status, 403);
  assert.match(((await refused.json()) as { message: string }).message, /this is the specialist role's/);

  const grace = (await h.t.db.query<{ id: string }>(`select id from console_users where username = 'grace'`)).rows[0]!.id;
  const cookie = `gw_session=${(await openSession(h.t.db, systemClock, grace)).cookieValue}`;
  // Without accepting an event stream: what rings now (nothing), and the answer ends.
  const probe = await fetch(`${h.url}/console/specialist/events`, { headers: { cookie } });
  assert.equal(probe.status, 200);
  assert.match(probe.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.equal(await probe.text(), 'retry: 2000\n\n');
  // A browser reconnecting says what it knew (Last-Event-ID): a call it knew as connected, over since, is ended (and was theirs).
  const taken = (await transferOf('+12025558701'))!.id;
  const resumed = await fetch(`${h.url}/console/specialist/events`, { headers: { cookie, 'last-event-id': `${taken}:c,not-a-transfer:r` } });
  assert.equal(await resumed.text(), `retry: 2000\n\nevent: ended\ndata: {"transferId":"${taken}","taken":true}\n\nid: \n\n`);
  // Following it: the stream stays open (the reconnection delay first) until the client goes.
  const abort = new AbortController();
  const live = await fetch(`${h.url}/console/specialist/events`, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
  assert.equal(live.headers.get('content-security-policy')?.startsWith("default-src 'none'"), true);
  const reader = live.body!.getReader();
  assert.equal(new TextDecoder().decode((await reader.read()).value), 'retry: 2000\n\n');
  const more = reader.read();
  const quiet = await Promise.race([more.then(() => 'data'), new Promise((r) => setTimeout(() => r('open'), 1_500))]);
  assert.equal(quiet, 'open', 'nothing rings: the stream stays open and quiet');
  abort.abort();
  await more.catch(() => undefined);
});
