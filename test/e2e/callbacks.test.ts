import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createScriptedInput, createWebhookClient, type ScriptStep } from '../../src/telephony/simulator/index.js';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import { createManualClock } from '../../src/shared/clock.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';
import { seedDue, seedPolicyholder, seedSmsConsent, seedSpecialist } from '../support/seed.js';

/**
 * Booked callbacks end to end, in simulated time: a caller nobody took books one, is texted its time,
 * and at that time (the clock moved there, the delayed job promoted) the worker rings specialists
 * first; the one who accepts hears who and why, then their own call dials the customer on the
 * simulated carrier. A customer not reached is tried once more, then the callback is reported missed.
 */
// Thursday 3 December 2026, 10:00 in New York.
const clock = createManualClock('2026-12-03T15:00:00Z');
let h: GatewayHarness;
let n = 0;
before(async () => { h = await startGatewayHarness({ clock }); });
after(async () => h.close());
beforeEach(async () => {
  await h.t.db.query(`update retention_specialists set availability = 'away'`);
});

const holder = async () => {
  n += 1;
  const phone = `+1202555${String(8700 + n)}`;
  const p = await seedPolicyholder(h.t.db, { firstName: 'Casey', phone, policyNumber: `HM-C-${710000 + n}`, locale: 'en-US' });
  await h.t.db.query(`update policies set product = 'auto', coverage_tier = 'standard', next_due_date = '2026-12-15', inception_date = '2024-06-15' where id = $1`, [p.policyId]);
  await seedDue(h.t.db, p.policyId, 12_450, '2026-12-15');
  await seedSmsConsent(h.t.db, phone);
  return { ...p, phone };
};

type Answer = 'no-answer' | 'decline' | { accept: ScriptStep };
/** How each specialist's phone answers; what each heard. An accepting one presses 1, then the customer's side of their dial goes as `accept` says. */
const phones = (answers: Record<string, Answer>) => {
  const heardBy: Record<string, string[]> = {};
  h.carrier.onCall = (c) => {
    const how = answers[c.to];
    if (!how || how === 'no-answer') return { status: 'no-answer' };
    heardBy[c.to] = [];
    const steps: ScriptStep[] = how === 'decline' ? [{ digits: '2' }] : [{ digits: '1' }, how.accept];
    return { input: createScriptedInput(steps, { onEvent: (e) => { if (e.type === 'say') heardBy[c.to]!.push(e.text); } }) };
  };
  return heardBy;
};

/** Calls, cancels (too expensive), asks for a person, and at "all busy" presses 1 for a callback; resolves with the confirmation text. */
const bookByCall = async (phone: string) => {
  const text = h.carrier.messages.next({ to: phone }, 15_000);
  const c = await h.carrier.placeCall({ from: phone, to: '+18005550100', input: createScriptedInput([{ digits: '3' }, { digits: '1' }, { digits: '0' }, { digits: '1' }]) });
  await h.carrier.idle();
  assert.deepEqual(c.errors, []);
  assert.match(c.said.join(' '), /A specialist will call you back at this number\. We will send you a text message with the time\./);
  const cb = await waitFor(async () => (await h.t.db.query('select id, slot_at from callback_requests where phone_e164 = $1', [phone])).rows[0]);
  return { call: c, text: (await text).body, callbackId: cb.id as string, slotAt: cb.slot_at as Date };
};

const callbackRow = async (id: string) =>
  (await h.t.db.query('select status, attempts, last_outcome, closed_at from callback_requests where id = $1', [id])).rows[0];

/** Moves the clock to a callback attempt's time and runs its delayed job now. */
const runAttempt = async (callbackId: string, attempt: number) => {
  const row = await waitFor(async () => (await h.t.db.query(
    `select id, run_at from outbox where topic = 'callbacks.run' and payload->>'callbackId' = $1 and (payload->>'attempt')::int = $2`, [callbackId, attempt])).rows[0]);
  clock.set(row.run_at);
  const job = await waitFor(async () => ((await h.queue.getJob(row.id)) ?? null));
  if ((await job.getState()) === 'delayed') await job.promote();
  return row.run_at as Date;
};

const legsOf = async (callbackId: string) =>
  (await h.t.db.query(
    `select s.name, l.status from transfer_legs l join retention_specialists s on s.id = l.specialist_id
      join warm_transfers t on t.id = l.transfer_id where t.callback_id = $1 order by l.created_at`, [callbackId],
  )).rows;

const evidenceTypes = async (callSid: string) =>
  (await h.t.db.query(
    `select e.type from evidence_events e join interactions i on i.id = e.interaction_id where i.provider_ref = $1 and e.type like 'callback.%' order by e.seq`, [callSid],
  )).rows.map((r) => r.type);

describe('booked callbacks', () => {
  test('nobody answers: a slot is booked and texted; at the slot the first specialist declines, the second calls the customer, who answers', async () => {
    await seedSpecialist(h.t.db, { name: 'Uma First', phone: '+15550100201', alwaysOn: true });
    const second = await seedSpecialist(h.t.db, { name: 'Vic Second', phone: '+15550100202', alwaysOn: true });
    phones({});
    const m = await holder();
    const booked = await bookByCall(m.phone);
    // 10:00 now: the first quarter hour at least 15 minutes away with a specialist on shift.
    assert.equal(booked.slotAt.toISOString(), '2026-12-03T15:15:00.000Z');
    assert.match(booked.text, /your callback is booked\. A specialist will call you at this number on Thu, Dec 3, 10:15\sAM EST\./);
    assert.deepEqual(await callbackRow(booked.callbackId), { status: 'open', attempts: 0, last_outcome: null, closed_at: null });

    const heardBy = phones({ '+15550100201': 'decline', '+15550100202': { accept: { dial: { status: 'completed', duration: 240 } } } });
    clock.set('2026-12-03T15:14:00Z');
    await runAttempt(booked.callbackId, 1);
    await waitFor(async () => ((await callbackRow(booked.callbackId)).status === 'done' ? true : null));
    await h.carrier.idle();
    assert.deepEqual(await legsOf(booked.callbackId), [{ name: 'Uma First', status: 'declined' }, { name: 'Vic Second', status: 'completed' }]);
    const row = await callbackRow(booked.callbackId);
    assert.equal(row.attempts, 1);
    assert.equal(row.last_outcome, 'reached');
    const t = (await h.t.db.query('select id, status, specialist_id from warm_transfers where callback_id = $1', [booked.callbackId])).rows[0];
    assert.deepEqual({ status: t.status, specialist_id: t.specialist_id }, { status: 'ended', specialist_id: second });
    // The specialist's screen pop says it is a callback and shows what the customer did in the call that booked it.
    const token = (await createApiToken(h.t.db, clock, { name: 'vic', role: 'specialist', specialistId: second })).token;
    const pop = await h.app.inject({ method: 'GET', url: `/api/transfers/${t.id}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(pop.statusCode, 200, pop.body);
    assert.equal(pop.json().kind, 'callback');
    assert.deepEqual(pop.json().thisCall.filter((x: { kind: string }) => x.kind === 'pressed').map((x: { digits: string }) => x.digits), ['3', '1', '0', '1']);
    const whisper = (heardBy['+15550100202'] ?? []).join(' ');
    assert.match(whisper, /Harbor Mutual callback\. Casey .*The customer wants to cancel: it costs too much\. Press 1 to call them now, or 2 to decline\./);
    assert.match(whisper, /Calling the customer now\..*The callback has ended\. Thank you\. Goodbye\./);
    // The specialist's call dialled the customer's number.
    const dial = h.carrier.callResults.entries.flatMap((r) => r.transcript).find((x) => x.url.includes('/twilio/callback/dialed'));
    assert.equal(dial?.status, 200);
    assert.equal(dial?.params.DialCallStatus, 'completed');
    // The attempt, the dial and its end are evidence on the call that booked it.
    assert.deepEqual(await evidenceTypes(booked.call.callSid), ['callback.booked', 'callback.attempt', 'callback.dialing', 'callback.done']);
    // The same Dial action again (Twilio retrying it) changes nothing.
    const again = await createWebhookClient(h.sim.target).resend(dial!);
    assert.equal(again.status, 200);
    assert.match(again.body ?? '', /The callback has ended/);
    assert.deepEqual(await evidenceTypes(booked.call.callSid), ['callback.booked', 'callback.attempt', 'callback.dialing', 'callback.done']);
  });

  test('the customer does not answer: tried again 30 minutes later, then reported missed and texted', async () => {
    await seedSpecialist(h.t.db, { name: 'Wes Only', phone: '+15550100211', alwaysOn: true });
    phones({});
    clock.set('2026-12-03T16:02:00Z');
    const m = await holder();
    const booked = await bookByCall(m.phone);
    assert.equal(booked.slotAt.toISOString(), '2026-12-03T16:30:00.000Z');
    const heardBy = phones({ '+15550100211': { accept: { dial: { status: 'no-answer' } } } });

    const first = await runAttempt(booked.callbackId, 1);
    await waitFor(async () => ((await callbackRow(booked.callbackId)).attempts === 1 && (await callbackRow(booked.callbackId)).last_outcome ? true : null));
    assert.deepEqual(await callbackRow(booked.callbackId), { status: 'open', attempts: 1, last_outcome: 'no-answer', closed_at: null });
    await h.carrier.idle();
    assert.match((heardBy['+15550100211'] ?? []).join(' '), /The customer did not answer\. We will try again in 30 minutes\./);

    const missedText = h.carrier.messages.next({ to: m.phone }, 15_000);
    const retry = await runAttempt(booked.callbackId, 2);
    assert.equal(retry.getTime() - first.getTime(), 30 * 60_000);
    await waitFor(async () => ((await callbackRow(booked.callbackId)).status === 'missed' ? true : null));
    assert.match((await missedText).body, /we tried to call you back twice and could not reach you/);
    await h.carrier.idle();
    assert.match((heardBy['+15550100211'] ?? []).join(' '), /This callback is reported as missed/);
    assert.deepEqual(await evidenceTypes(booked.call.callSid), [
      'callback.booked', 'callback.attempt', 'callback.dialing', 'callback.attempt-missed', 'callback.attempt', 'callback.dialing', 'callback.missed',
    ]);

    // The report lists it for an operator; a policyholder's token or none is refused.
    const operator = (await createApiToken(h.t.db, clock, { name: 'ops', role: 'operator' })).token;
    const res = await h.app.inject({ method: 'GET', url: '/api/callbacks?status=missed', headers: { authorization: `Bearer ${operator}` } });
    assert.equal(res.statusCode, 200, res.body);
    const listed = res.json().callbacks.find((c: { id: string }) => c.id === booked.callbackId);
    assert.deepEqual({ status: listed.status, attempts: listed.attempts, lastOutcome: listed.lastOutcome, phone: listed.phone }, { status: 'missed', attempts: 2, lastOutcome: 'no-answer', phone: m.phone });
    assert.equal((await h.app.inject({ method: 'GET', url: '/api/callbacks' })).statusCode, 401);
    const bad = await h.app.inject({ method: 'GET', url: '/api/callbacks?status=lost', headers: { authorization: `Bearer ${operator}` } });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /status must be open, done, missed or cancelled/);
  });
});
