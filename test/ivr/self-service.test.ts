import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { parseBusinessHours } from '../../src/shared/business-hours.js';
import { createManualClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { buildTestApp } from '../support/build-test-app.js';
import { seedCard, seedDue, seedPolicy, seedPolicyholder, seedSpecialist } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { voiceCall } from '../support/voice-driver.js';

let t: TestDb;
let open: FastifyInstance;
let closed: FastifyInstance;
/** Open, on December 3, 2026 (New York): Maria's premium of December 1 is two days late. */
let late: FastifyInstance;
let maria: { policyholderId: string; policyId: string };
let carlos: { policyholderId: string; policyId: string; second: string };
before(async () => {
  t = await createTestDb();
  // Monday, November 23, 2026: the premiums of December 1 and 5 are not due yet.
  const before = createManualClock('2026-11-23T15:00:00Z');
  ({ app: open } = await buildTestApp(t.db, { clock: before }));
  ({ app: closed } = await buildTestApp(t.db, { clock: before, businessHours: parseBusinessHours('America/New_York Sun 00:00-00:01') }));
  ({ app: late } = await buildTestApp(t.db, { clock: createManualClock('2026-12-03T15:00:00Z') }));
  maria = await seedPolicyholder(t.db, { firstName: 'Maria', phone: '+12025550143', policyNumber: 'HM-100234' });
  await seedDue(t.db, maria.policyId, 12_450);
  await seedCard(t.db, maria.policyholderId);
  const c = await seedPolicyholder(t.db, { firstName: 'Carlos', phone: '+12025550150', policyNumber: 'HM-A-200874', locale: 'es-US' });
  carlos = { ...c, second: await seedPolicy(t.db, c.policyholderId, 'HM-H-300412') };
  await seedDue(t.db, carlos.second, 9_675, '2026-12-05');
  // On duty in the business hours (each app's own): `open` is always open, `closed` almost never.
  await seedSpecialist(t.db, { name: 'Grace Holt', phone: '+15550100001' });
});
after(async () => {
  await open.close();
  await closed.close();
  await late.close();
  await t.drop();
});

const outbox = async (topic: string) =>
  (await t.db.query(`select payload from outbox where topic = $1 order by created_at`, [topic])).rows.map((r) => r.payload);
const outboxOfCall = async (callSid: string, topic: string) =>
  (await t.db.query(
    `select o.payload from outbox o join interactions i on i.id = o.interaction_id where i.provider_ref = $1 and o.topic = $2`,
    [callSid, topic],
  )).rows.map((r) => r.payload);

describe('every path to the menu passes identification', () => {
  test('an unknown caller back from the callback offer is asked who they are; 3 then is no cancellation', async () => {
    const call = voiceCall(closed, '+13125550999');
    await call.start();
    let twiml = await call.press('0');
    assert.match(twiml, /To have a specialist call you back/);
    twiml = await call.press('9');
    assert.match(twiml, /Please enter your policy number/);
    assert.doesNotMatch(twiml, /To pay your premium|no payment due/);
    twiml = await call.press('3');
    assert.doesNotMatch(twiml, /noted that you would like to cancel/);
    assert.deepEqual(await outboxOfCall(call.params.CallSid, 'retention.cancel-request'), []);
  });

  test('an unknown caller back from a booked callback is asked who they are', async () => {
    const call = voiceCall(closed, '+13125550998');
    await call.start();
    await call.press('0');
    await call.press('1');
    const twiml = await call.press('9');
    assert.match(twiml, /Please enter your policy number/);
    assert.doesNotMatch(twiml, /To pay your premium/);
  });

  test('a caller with two policies back from the callback offer chooses a policy before the menu', async () => {
    const call = voiceCall(closed, '+12025550150');
    await call.start();
    await call.press('0');
    const twiml = await call.press('9');
    assert.match(twiml, /Usted tiene 2 pólizas/);
    assert.doesNotMatch(twiml, /Hola Carlos/, 'greeted once per call');
  });
});

describe('leaving the hold for a specialist (warm transfer)', () => {
  // No worker runs here: the transfer's row is written as its jobs and webhooks would leave it.
  const transferStands = async (callSid: string, status: string) => t.db.query(
    `insert into warm_transfers (id, caller_call_sid, flow, conference_name, caller_phone, locale, reason, context, status, requested_at)
     values ($1, $2, 'ivr', $3, '+12025550143', 'en-US', 'asked', '{"reason":null,"offersMade":[],"offersDeclined":[]}', $4, now())`,
    [newId(), callSid, `transfer-${callSid}`, status]);

  test('0 puts the caller on hold in a conference of their own, and queues the transfer with why', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    const twiml = await call.press('0');
    assert.match(twiml, /Please hold while we connect you to a specialist/);
    assert.match(twiml, new RegExp(`<Conference[^>]*>transfer-${call.params.CallSid}</Conference>`));
    const [job] = await outboxOfCall(call.params.CallSid, 'transfer.start');
    assert.equal(job.flow, 'ivr');
    assert.equal(job.reason, 'asked');
    assert.equal(job.policyId, maria.policyId);
  });

  test('after talking with a specialist (the conference ended) the caller is thanked, not told no one was available', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    await call.press('0');
    await transferStands(call.params.CallSid, 'ended');
    const twiml = await call.leaveHold();
    assert.doesNotMatch(twiml, /no specialist is available|busy/);
    assert.match(twiml, /Thank you for calling Harbor Mutual\. Goodbye\./);
    assert.match(twiml, /<Hangup\/>/);
  });

  test('nobody took it: sorry, a callback is offered, and booked', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    await call.press('0');
    await transferStands(call.params.CallSid, 'no-specialist');
    let twiml = await call.leaveHold();
    assert.match(twiml, /Sorry, all our specialists are busy right now\.<\/Say><Gather[^>]*><Say[^>]*>To have a specialist call you back at this number, press 1\./);
    twiml = await call.press('1');
    assert.match(twiml, /will call you back/);
    assert.equal((await outboxOfCall(call.params.CallSid, 'callbacks.book')).length, 1);
  });

  test('the caller hung up on hold: the transfer is abandoned, nothing is said', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    await call.press('0');
    await transferStands(call.params.CallSid, 'ringing');
    const twiml = await call.leaveHold({ hungUp: true });
    assert.doesNotMatch(twiml, /<Say/);
    assert.match(twiml, /<Hangup\/>/);
    const { rows } = await t.db.query('select status from warm_transfers where caller_call_sid = $1', [call.params.CallSid]);
    assert.equal(rows[0].status, 'abandoned');
    assert.equal((await outboxOfCall(call.params.CallSid, 'transfer.abandon')).length, 1);
  });
});

describe('self-service menu', () => {
  test('the amount due and due date are read back', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    const twiml = await call.press('2');
    assert.match(twiml, /Your premium of \$124\.50 is due on December 1/);
    assert.match(twiml, /To pay now, press 1/);
  });

  test('a caller with two policies picks one; Spanish amounts and dates', async () => {
    const call = voiceCall(open, '+12025550150');
    let twiml = await call.start();
    assert.match(twiml, /Hola Carlos/);
    assert.match(twiml, /termina en 0, 4, 1, 2, oprima 2/);
    twiml = await call.press('2');
    assert.match(twiml, /Para pagar su prima/);
    twiml = await call.press('2');
    assert.match(twiml, /Su prima de \$96\.75/);
    assert.match(twiml, /5 de diciembre/);
  });

  test('a key not on the list of policies re-prompts', async () => {
    const call = voiceCall(open, '+12025550150');
    await call.start();
    const twiml = await call.press('7');
    assert.match(twiml, /no entendí/);
  });

  test('a premium two days late is read as overdue, with the last day of the grace period', async () => {
    const call = voiceCall(late, '+12025550143');
    await call.start();
    const twiml = await call.press('2');
    assert.doesNotMatch(twiml, /is due on/);
    assert.match(twiml, /Your premium of \$124\.50 was due on December 1 and is overdue\. To keep your coverage, please pay by December 31, the last day of your grace period\./);
  });

  test('in Spanish too; a premium not yet due is still read as due', async () => {
    const call = voiceCall(late, '+12025550150');
    await call.start();
    await call.press('2');
    const twiml = await call.press('2');
    assert.match(twiml, /Su prima de \$96\.75 vence el 5 de diciembre\./);
    const maria = voiceCall(late, '+12025550143');
    await maria.start();
    await maria.press('8');
    const spanish = await maria.press('2');
    assert.match(spanish, /Su prima de \$124,50|Su prima de \$124\.50/);
    assert.match(spanish, /venció el 1 de diciembre y está atrasada\. Para mantener su cobertura, pague a más tardar el 31 de diciembre, último día de su período de gracia\./);
  });

  test('no payment due is said plainly and the menu comes back', async () => {
    const call = voiceCall(open, '+12025550150');
    await call.start();
    await call.press('1'); // the first policy has no due
    const twiml = await call.press('2');
    assert.match(twiml, /No tiene pagos pendientes/);
    assert.match(twiml, /Para pagar su prima/);
  });

  test('cancel hands the call over to the retention call (which records the request)', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    const twiml = await call.press('3');
    assert.match(twiml, /<Redirect method="POST">[^<]*\/twilio\/voice\/retention\?step=1&amp;expect=start<\/Redirect>/);
    assert.doesNotMatch(twiml, /<Conference/);
  });

  test('cancelling a policy that is already cancelled says so and records no request', async () => {
    const gone = await seedPolicyholder(t.db, { firstName: 'Ana', phone: '+12025550160', policyNumber: 'HM-100990' });
    await t.db.query(`update policies set status = 'cancelled' where id = $1`, [gone.policyId]);
    const call = voiceCall(open, '+12025550160');
    await call.start();
    const twiml = await call.press('3');
    assert.doesNotMatch(twiml, /noted that you would like to cancel/);
    assert.match(twiml, /This policy is already cancelled\./);
    assert.match(twiml, /To pay your premium, press 1/);
    assert.doesNotMatch(twiml, /<Conference/);
    assert.deepEqual(await outboxOfCall(call.params.CallSid, 'retention.cancel-request'), []);
  });

  test('outside business hours a person is not promised: a callback is offered with the hours, then booked', async () => {
    const call = voiceCall(closed, '+12025550143');
    await call.start();
    let twiml = await call.press('0');
    assert.doesNotMatch(twiml, /<Conference/);
    assert.match(twiml, /available Sunday, 12:00\sAM to 12:01\sAM/);
    twiml = await call.press('1');
    assert.match(twiml, /will call you back/);
    const booked = await outbox('callbacks.book');
    assert.equal(booked.at(-1).phone, '+12025550143');
    assert.equal(booked.at(-1).policyholderId, maria.policyholderId);
  });

  test('speech works for the menu', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    const twiml = await call.say('I want to talk to an agent please');
    assert.match(twiml, /<Conference/);
  });
});

describe('paying by phone', () => {
  test('card on file: amount read back, card ending spelled, one charge job even when the key is pressed twice', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    let twiml = await call.press('1');
    assert.match(twiml, /\$124\.50 is due on December 1/);
    assert.match(twiml, /visa card ending in 4, 2, 4, 2, press 1/);
    const chooseUrl = call.attr('Gather');
    twiml = await call.press('1');
    assert.match(twiml, /process your payment/);
    assert.match(twiml, /<Redirect[^>]*>[^<]*expect=payment-status/);
    // The same key press delivered again (Twilio retry, or a double press racing): same answer, no second job.
    const again = await call.repeatLast(chooseUrl, { Digits: '1' });
    assert.equal(again, twiml);
    const jobs = (await t.db.query(
      `select o.payload from outbox o join interactions i on i.id = o.interaction_id where i.provider_ref = $1 and o.topic = 'payments.charge-due'`,
      [call.params.CallSid],
    )).rows;
    assert.equal(jobs.length, 1);
    assert.equal(jobs[0].payload.paymentMethodId, 'pm_card_visa');

    // While the job has not run, the caller holds.
    twiml = await call.follow();
    assert.match(twiml, /Thank you for waiting/);
    // The charge job succeeds (what the payments worker writes), then the caller hears the confirmation.
    const dueId = jobs[0].payload.dueId;
    const attemptId = newId();
    await t.db.query(
      `insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, status, amount_cents)
       values ($1, $2, 1, 'ivr', $3, 'succeeded', 12450)`,
      [attemptId, dueId, `k-${attemptId}`],
    );
    await t.db.query(`update premium_dues set status = 'paid' where id = $1`, [dueId]);
    await t.db.query(`update outbox set completed_at = now() where topic = 'payments.charge-due'`);
    twiml = await call.follow();
    assert.match(twiml, /Your payment of \$124\.50 was received\. Your confirmation number is (\d, ){7}\d\./);
    await t.db.query(`update premium_dues set status = 'open' where id = $1`, [dueId]);
    await t.db.query(`delete from payment_attempts where id = $1`, [attemptId]);
  });

  test('a new card is captured by <Pay> (tokenized, no charge by Twilio); a failed capture can be retried', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    await call.press('1');
    let twiml = await call.press('2');
    assert.match(twiml, /<Pay /);
    assert.match(twiml, /tokenType="payment-method"/);
    assert.match(twiml, /chargeAmount="0"/);
    assert.match(twiml, /paymentConnector="Stripe_Connector"/);
    twiml = await call.pay({ Result: 'validation-error', PaymentError: 'invalid-card-number' });
    assert.match(twiml, /could not take that card/);
    twiml = await call.press('1');
    assert.match(twiml, /<Pay /);
    twiml = await call.pay({ Result: 'success', PaymentToken: 'pm_new_1', PaymentCardNumber: 'xxxx-xxxx-xxxx-1111', PaymentCardType: 'visa' });
    assert.match(twiml, /process your payment/);
    const jobs = await outbox('payments.charge-due');
    assert.equal(jobs.at(-1).paymentMethodId, 'pm_new_1');
    const ev = await t.db.query(
      `select e.payload::text as p from evidence_events e join interactions i on i.id = e.interaction_id where i.provider_ref = $1`,
      [call.params.CallSid],
    );
    assert.ok(!ev.rows.some((r) => r.p.includes('1111') && r.p.includes('xxxx')), 'the masked card number is not kept');
  });

  test('a declined charge is explained and another card can be tried', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    await call.press('1');
    await call.press('1');
    const job = (await outbox('payments.charge-due')).at(-1);
    const attemptId = newId();
    await t.db.query(
      `insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, status, amount_cents, decline_class)
       values ($1, $2, 9, 'ivr', $3, 'failed', 12450, 'never-retry')`,
      [attemptId, job.dueId, `k-${attemptId}`],
    );
    await t.db.query(
      `update outbox set completed_at = now(), result = $1 where topic = 'payments.charge-due' and completed_at is null`,
      [{ outcome: 'failed', attemptId, declineClass: 'never-retry' }],
    );
    let twiml = await call.follow();
    assert.match(twiml, /did not go through\. The bank declined this card/);
    twiml = await call.press('2');
    assert.match(twiml, /<Pay /);
  });

  test('the caller hanging up during <Pay> ends the call cleanly', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    await call.press('1');
    await call.press('2');
    const twiml = await call.pay({ Result: 'caller-hung-up' });
    assert.match(twiml, /<Hangup\/>/);
  });
});

describe('every <Pay> result has a way on', () => {
  const cases: [string, RegExp][] = [
    ['too-many-failed-attempts', /could not take that card/],
    ['validation-error', /could not take that card/],
    ['payment-connector-error', /could not take that card/],
    ['internal-error', /could not take that card/],
    ['caller-interrupted-with-star', /could not take that card/],
    ['caller-hung-up', /<Hangup\/>/],
    ['something-new-from-twilio', /could not take that card/],
  ];
  for (const [result, expected] of cases) {
    test(`Result=${result}`, async () => {
      const call = voiceCall(open, '+12025550143');
      await call.start();
      await call.press('1');
      await call.press('2');
      const twiml = await call.pay({ Result: result });
      assert.match(twiml, expected);
      assert.match(twiml, /<Gather|<Hangup/);
    });
  }

  test('a second failed card capture offers a person instead of looping', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    await call.press('1');
    await call.press('2');
    await call.pay({ Result: 'validation-error' });
    await call.press('1');
    const twiml = await call.pay({ Result: 'too-many-failed-attempts' });
    assert.match(twiml, /To speak with a specialist, press 0/);
  });
});

describe('garbage and language', () => {
  test('a key that means nothing in the main menu re-prompts with help', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    const twiml = await call.press('7');
    assert.match(twiml, /did not understand/);
    assert.match(twiml, /To pay your premium, press 1/);
  });

  test('8 switches to Spanish and back', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    let twiml = await call.press('8');
    assert.match(twiml, /Para pagar su prima/);
    twiml = await call.press('8');
    assert.match(twiml, /To pay your premium/);
  });

  test('hanging up while the payment is processing ends the session', async () => {
    const call = voiceCall(open, '+12025550143');
    await call.start();
    await call.press('1');
    await call.press('1');
    const status = await open.inject(
      (await import('../support/build-test-app.js')).signedForm('/twilio/voice/status', { ...call.params, CallStatus: 'completed', SequenceNumber: '9' }),
    );
    assert.equal(status.statusCode, 200);
    const s = await t.db.query(`select snapshot->>'value' as state, status from flow_sessions where session_key = $1`, [`call:${call.params.CallSid}`]);
    assert.deepEqual(s.rows[0], { state: 'ended', status: 'done' });
  });
});
