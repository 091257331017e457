import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createScriptedInput, createWebhookClient, type ScriptStep } from '../../src/telephony/simulator/index.js';
import { createApiToken } from '../../src/evidence/api-tokens.js';
import { systemClock } from '../../src/shared/clock.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';
import { seedDue, seedPolicyholder, seedSmsConsent, seedSpecialist } from '../support/seed.js';

/**
 * Warm transfers end to end: a cancelling caller presses 0 and holds in their own conference; the
 * worker rings specialists through the Calls API (the fake carrier behind the real twilio SDK plays
 * each specialist's phone against the whisper and their key); the transfer's webhooks and jobs move it
 * on. Caller and specialist meet in the carrier's simulated conference, which posts its own callbacks;
 * a transfer nobody takes moves the caller back through the Calls API.
 */
let h: GatewayHarness;
let n = 0;
before(async () => {
  h = await startGatewayHarness();
});
after(async () => h.close());
// Each test brings its own specialists: everyone from earlier tests goes away.
beforeEach(async () => {
  await h.t.db.query(`update retention_specialists set availability = 'away'`);
});

const holder = async (locale = 'en-US') => {
  n += 1;
  const phone = `+1202555${String(8600 + n)}`;
  const p = await seedPolicyholder(h.t.db, { firstName: 'Robin', phone, policyNumber: `HM-W-${700000 + n}`, locale });
  await h.t.db.query(`update policies set product = 'auto', coverage_tier = 'standard', next_due_date = '2026-12-15', inception_date = '2024-06-15' where id = $1`, [p.policyId]);
  await seedDue(h.t.db, p.policyId, 12_450, '2026-12-15');
  await seedSmsConsent(h.t.db, phone);
  return { ...p, phone };
};

const transferOf = async (phone: string) =>
  (await h.t.db.query('select id, status, specialist_id from warm_transfers where caller_phone = $1 order by requested_at desc limit 1', [phone])).rows[0];

/**
 * A caller following `steps` on the simulated carrier: at the hold they wait in the transfer's real
 * (simulated) conference, hearing its hold music, until the specialist's leaving ends it or the
 * gateway moves them back to their flow through the Calls API.
 */
const call = async (phone: string, steps: ScriptStep[]) => {
  const c = await h.carrier.placeCall({ from: phone, to: '+18005550100', input: createScriptedInput(steps) });
  // The specialists' calls end a moment after the caller's (their last status callbacks).
  await h.carrier.idle();
  return c;
};
const heard = (c: { said: string[] }) => c.said.join(' ');

/** How each specialist's phone answers, by number (an accepting one talks a minute in the conference, then hangs up); what each heard. */
const phones = (answers: Record<string, 'accept' | 'decline' | 'no-answer'>) => {
  const heardBy: Record<string, string[]> = {};
  h.carrier.onCall = (c) => {
    const how = answers[c.to];
    if (!how || how === 'no-answer') return { status: 'no-answer' };
    heardBy[c.to] = [];
    const steps: ScriptStep[] = how === 'accept' ? [{ digits: '1' }, { dial: { status: 'answered', duration: 60 } }] : [{ digits: '2' }];
    return { input: createScriptedInput(steps, { onEvent: (e) => { if (e.type === 'say') heardBy[c.to]!.push(e.text); } }) };
  };
  return heardBy;
};

/** The conference callbacks the gateway received for a caller's transfer, in the order the carrier posted them. */
const conferenceCallbacks = async (callerSid: string) => {
  await h.carrier.idle();
  return h.carrier.callbacks.filter((x) => x.url.includes('/twilio/transfer/conference') && x.params.FriendlyName === `transfer-${callerSid}`);
};

const legs = async (transferId: string) =>
  (await h.t.db.query(
    `select s.name, l.status from transfer_legs l join retention_specialists s on s.id = l.specialist_id where l.transfer_id = $1 order by l.created_at`, [transferId],
  )).rows;

describe('warm transfer', () => {
  test('accepted: the specialist hears who and why, presses 1 and is bridged; the caller is thanked at the end', async () => {
    const grace = await seedSpecialist(h.t.db, { name: 'Grace Holt', phone: '+15550100101', alwaysOn: true });
    const heardBy = phones({ '+15550100101': 'accept' });
    const m = await holder();
    // 3 cancel, 1 too expensive, 0 at the first offer.
    const c = await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '0' }]);
    assert.deepEqual(c.errors, []);
    assert.match(heard(c), /Please hold while we connect you to a specialist\..*Thank you for calling Harbor Mutual\. Goodbye\./);
    assert.ok(c.events.some((e) => e.type === 'play'), 'hold music while the specialist was rung');
    const t = await transferOf(m.phone);
    // Bridged, then the conference ended when the specialist hung up.
    assert.equal(t.status, 'ended');
    assert.equal(t.specialist_id, grace);
    const specialistSid = h.carrier.calls.entries.find((x) => x.to === '+15550100101')?.sid;
    const conference = await conferenceCallbacks(c.callSid);
    assert.deepEqual(conference.map((x) => [x.params.StatusCallbackEvent, x.params.CallSid ?? null, x.params.ParticipantLabel ?? null]), [
      ['participant-join', c.callSid, 'caller'],
      ['participant-join', specialistSid, 'specialist'],
      ['conference-start', null, null],
      ['participant-leave', specialistSid, 'specialist'],
      ['participant-leave', c.callSid, 'caller'],
      ['conference-end', null, null],
    ]);
    assert.ok(conference.every((x) => x.status === 200 && /^CF[0-9a-f]{32}$/.test(x.params.ConferenceSid ?? '')), 'each one signed and taken');
    // Accepted, then the specialist's call ended with the conversation: the leg is completed.
    assert.deepEqual(await legs(t.id), [{ name: 'Grace Holt', status: 'completed' }]);
    const whisper = (heardBy['+15550100101'] ?? []).join(' ');
    assert.match(whisper, /Robin .*policy H M - W - .*auto standard, \$124\.50 monthly\. The caller wants to cancel: it costs too much\. Press 1 to accept, or 2 to decline\./);
    assert.match(whisper, /Connecting you now\./);
    const ev = (await h.t.db.query(
      `select e.type from evidence_events e join interactions i on i.id = e.interaction_id where i.provider_ref = $1 and e.type like 'transfer.%'`, [c.callSid])).rows.map((r) => r.type);
    for (const type of ['transfer.requested', 'transfer.leg', 'transfer.whisper', 'transfer.outcome', 'transfer.conference']) assert.ok(ev.includes(type), `${type} in ${ev.join(', ')}`);
    // Each conference callback from the specialist's join on is evidence (the caller's own join can come before the job that opens the transfer).
    const recorded = (await h.t.db.query(
      `select e.payload->>'event' as event, (e.payload->>'sequence')::int as seq from evidence_events e join interactions i on i.id = e.interaction_id
        where i.provider_ref = $1 and e.type = 'transfer.conference' order by (e.payload->>'sequence')::int`, [c.callSid])).rows;
    assert.deepEqual(recorded.filter((r) => r.seq >= 2).map((r) => r.event), ['participant-join', 'conference-start', 'participant-leave', 'participant-leave', 'conference-end']);
  });

  test('declined by the first specialist, accepted by the second', async () => {
    await seedSpecialist(h.t.db, { name: 'Ira First', phone: '+15550100111', alwaysOn: true });
    const second = await seedSpecialist(h.t.db, { name: 'Jo Second', phone: '+15550100112', alwaysOn: true });
    phones({ '+15550100111': 'decline', '+15550100112': 'accept' });
    const m = await holder();
    const c = await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '0' }]);
    assert.deepEqual(c.errors, []);
    const t = await transferOf(m.phone);
    assert.equal(t.specialist_id, second);
    assert.deepEqual(await legs(t.id), [{ name: 'Ira First', status: 'declined' }, { name: 'Jo Second', status: 'completed' }]);
    assert.match(heard(c), /Goodbye\.$/);
  });

  test('nobody answers: the caller is told, offered a callback, and it is booked and confirmed by text', async () => {
    await seedSpecialist(h.t.db, { name: 'Kim Absent', phone: '+15550100121', alwaysOn: true });
    phones({ '+15550100121': 'no-answer' });
    const m = await holder();
    const text = h.carrier.messages.next({ to: m.phone }, 15_000);
    const c = await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '0' }, { digits: '1' }]);
    assert.deepEqual(c.errors, []);
    assert.match(heard(c), /Please hold.*Sorry, all our specialists are busy right now\. To have a specialist call you back at this number, press 1\..*A specialist will call you back/);
    const t = await transferOf(m.phone);
    assert.equal(t.status, 'no-specialist');
    // Moved out of the hold by the Calls API: the caller left the conference, which ended with them.
    assert.deepEqual((await conferenceCallbacks(c.callSid)).map((x) => x.params.StatusCallbackEvent), ['participant-join', 'participant-leave', 'conference-end']);
    assert.ok(c.events.some((e) => e.type === 'updated' && e.by === 'redirect'), 'redirected back to the flow');
    assert.deepEqual(await legs(t.id), [{ name: 'Kim Absent', status: 'no-answer' }]);
    assert.match((await text).body, /your callback is booked/);
    // Twilio repeating the leg's no-answer callback (and a late "ringing" after it) changes nothing.
    const noAnswer = h.carrier.callbacks.find((x) => x.url.includes('/twilio/transfer/leg-status') && x.params.CallStatus === 'no-answer' && x.params.To === '+15550100121');
    assert.ok(noAnswer, 'the leg reported no answer');
    const client = createWebhookClient(h.sim.target);
    const ringsBefore = (await h.t.db.query(`select count(*)::int as n from outbox where topic = 'transfer.ring-next' and payload->>'transferId' = $1`, [t.id])).rows[0].n;
    assert.equal((await client.resend(noAnswer)).status, 200);
    assert.equal((await client.send(noAnswer.url, { ...noAnswer.params, CallStatus: 'ringing' })).status, 200);
    const ringsAfter = (await h.t.db.query(`select count(*)::int as n from outbox where topic = 'transfer.ring-next' and payload->>'transferId' = $1`, [t.id])).rows[0].n;
    assert.equal(ringsAfter, ringsBefore, 'no second ring-next');
    assert.deepEqual(await legs(t.id), [{ name: 'Kim Absent', status: 'no-answer' }]);
  });

  test('a Spanish-speaking caller is offered to the Spanish-speaking specialist first', async () => {
    await seedSpecialist(h.t.db, { name: 'Lee English', phone: '+15550100131', alwaysOn: true });
    const ana = await seedSpecialist(h.t.db, { name: 'Ana Ruiz', phone: '+15550100132', languages: ['es-US', 'en-US'], alwaysOn: true });
    const heardBy = phones({ '+15550100131': 'accept', '+15550100132': 'accept' });
    const m = await holder('es-US');
    const c = await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '0' }]);
    assert.deepEqual(c.errors, []);
    assert.match(heard(c), /Por favor espere mientras lo comunicamos con un especialista/);
    const t = await transferOf(m.phone);
    assert.equal(t.specialist_id, ana);
    assert.match((heardBy['+15550100132'] ?? []).join(' '), /The caller speaks Spanish\./);
    assert.equal(heardBy['+15550100131'], undefined, 'the English speaker was not rung');
  });

  test('outside every specialist\'s hours no hold is offered: the callback offer comes straight away', async () => {
    // On duty only one minute a week, Sunday 00:00 in New York.
    await h.t.db.query(
      `insert into retention_specialists (id, name, phone_e164, languages, time_zone, working_hours, availability, created_at)
       values (gen_random_uuid(), 'Night Owl', '+15550100141', '{en-US}', 'America/New_York', '{"sun": [["00:00", "00:01"]]}', 'available', now())`);
    const m = await holder();
    const c = await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '0' }, 'hangup']);
    assert.doesNotMatch(heard(c), /Please hold/);
    assert.match(heard(c), /Our specialists are not available right now\./);
    assert.equal(await transferOf(m.phone), undefined);
  });

  test('repeated and reordered callbacks change nothing twice: the conference ending (again, twice, before the leave) ends the transfer once', async () => {
    await seedSpecialist(h.t.db, { name: 'Max Twice', phone: '+15550100151', alwaysOn: true });
    phones({ '+15550100151': 'accept' });
    const m = await holder();
    const c = await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '0' }]);
    const t = await transferOf(m.phone);
    // The carrier's own conference-end came already; it comes twice more, and before a leave.
    assert.equal(t.status, 'ended');
    const client = createWebhookClient(h.sim.target);
    const base = { AccountSid: h.sim.target.accountSid, ConferenceSid: `CF${'a'.repeat(32)}`, FriendlyName: `transfer-${c.callSid}` };
    const end = { ...base, StatusCallbackEvent: 'conference-end', SequenceNumber: '4' };
    for (const p of [end, end, { ...base, StatusCallbackEvent: 'participant-leave', CallSid: c.callSid, SequenceNumber: '3' }]) {
      const r = await client.send('/twilio/transfer/conference', p);
      assert.equal(r.status, 200);
    }
    assert.equal((await transferOf(m.phone)).status, 'ended');
    const outcomes = (await h.t.db.query(
      `select count(*)::int as n from evidence_events e join interactions i on i.id = e.interaction_id
        where i.provider_ref = $1 and e.type = 'transfer.outcome' and e.payload->>'outcome' = 'ended'`, [c.callSid])).rows[0].n;
    assert.equal(outcomes, 1);
    assert.equal((await h.t.db.query(`select count(*)::int as n from outbox where topic = 'transfer.abandon' and payload->>'transferId' = $1`, [t.id])).rows[0].n, 0);
  });

  test('the caller hangs up on hold: the transfer is abandoned once, the specialist hearing the whisper is let go, nobody else is rung', async () => {
    await seedSpecialist(h.t.db, { name: 'Pat Waiting', phone: '+15550100161', alwaysOn: true });
    await seedSpecialist(h.t.db, { name: 'Quinn Next', phone: '+15550100162', alwaysOn: true });
    const m = await holder();
    // Pat picks up and listens to the whisper until the caller is gone, then hangs up.
    h.carrier.onCall = () => ({
      input: {
        gather: async () => {
          await waitFor(async () => ((await transferOf(m.phone))?.status === 'abandoned' ? true : null));
          return 'hangup' as const;
        },
        pay: async () => 'hangup' as const,
        dial: async () => 'hangup' as const,
      },
    });
    const scripted = createScriptedInput([{ digits: '3' }, { digits: '1' }, { digits: '0' }]);
    const c = await h.carrier.placeCall({
      from: m.phone, to: '+18005550100',
      input: {
        gather: (r) => scripted.gather(r), pay: (r) => scripted.pay(r), dial: (r) => scripted.dial(r),
        // On hold in the conference until Pat is hearing the whisper, then the caller hangs up.
        conference: async () => {
          await waitFor(async () => (await h.t.db.query(`select 1 from transfer_legs l join warm_transfers t on t.id = l.transfer_id where t.caller_phone = $1 and l.status = 'answered'`, [m.phone])).rows[0]);
          return 'hangup';
        },
      },
    });
    assert.deepEqual(c.errors, []);
    const t = await transferOf(m.phone);
    assert.equal(t.status, 'abandoned');
    assert.deepEqual((await conferenceCallbacks(c.callSid)).map((x) => x.params.StatusCallbackEvent), ['participant-join', 'participant-leave', 'conference-end']);
    // The conference's callbacks again, after the Dial action: nothing changes twice.
    const client = createWebhookClient(h.sim.target);
    await client.send('/twilio/transfer/conference', { AccountSid: h.sim.target.accountSid, ConferenceSid: `CF${'b'.repeat(32)}`, FriendlyName: `transfer-${c.callSid}`, StatusCallbackEvent: 'participant-leave', CallSid: c.callSid, SequenceNumber: '2' });
    const pat = await waitFor(async () => {
      const rows = await legs(t.id);
      return rows.every((l) => l.status !== 'answered') ? rows : null;
    });
    assert.equal(pat.length, 1, 'nobody else rung');
    assert.equal(pat[0].name, 'Pat Waiting');
    assert.ok(['cancelled', 'declined'].includes(pat[0].status), pat[0].status);
    const abandoned = (await h.t.db.query(
      `select count(*)::int as n from evidence_events e join interactions i on i.id = e.interaction_id
        where i.provider_ref = $1 and e.type = 'transfer.outcome' and e.payload->>'outcome' = 'abandoned'`, [c.callSid])).rows[0].n;
    assert.equal(abandoned, 1);
  });
});

describe('screen pop and outcome API', () => {
  test('the specialist who took it reads the screen pop and records a downgrade: the same effects as the IVR (tier, premium, text)', async () => {
    const sid = await seedSpecialist(h.t.db, { name: 'Rae Api', phone: '+15550100171', alwaysOn: true });
    const other = await seedSpecialist(h.t.db, { name: 'Sam Other', phone: '+15550100172', availability: 'away' });
    const heardBy = phones({ '+15550100171': 'accept' });
    const m = await holder();
    // A declined payment on the policy, as the payments domain records one (so the rules offer a new payment date first).
    await h.t.db.query(`insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, amount_cents, currency, status, failure_reason, decline_class, card_last4, created_at)
      select gen_random_uuid(), d.id, 1, 'ivr', gen_random_uuid()::text, 12450, 'usd', 'failed', 'The card has insufficient funds.', 'insufficient_funds', '0341', now()
        from premium_dues d where d.policy_id = $1`, [m.policyId]);
    await call(m.phone, [{ digits: '3' }, { digits: '1' }, { digits: '2' }, { digits: '0' }]);
    const t = await transferOf(m.phone);
    assert.match((heardBy['+15550100171'] ?? []).join(' '), /Declined a new payment date\. 1 failed payment, the last: The card has insufficient funds\./);
    const mine = (await createApiToken(h.t.db, systemClock, { name: 'rae', role: 'specialist', specialistId: sid })).token;
    const theirs = (await createApiToken(h.t.db, systemClock, { name: 'sam', role: 'specialist', specialistId: other })).token;
    const get = (token: string) => h.app.inject({ method: 'GET', url: `/api/transfers/${t.id}`, headers: { authorization: `Bearer ${token}` } });
    const pop = await get(mine);
    assert.equal(pop.statusCode, 200, pop.body);
    const body = pop.json();
    assert.equal(body.caller.phone, m.phone);
    assert.equal(body.policy.product, 'auto');
    assert.equal(body.cancelReason, 'too-expensive');
    assert.deepEqual(body.offersDeclined, ['move-date']);
    assert.ok(body.premiumHistory.length >= 1);
    assert.deepEqual(body.paymentFailures.map((f: { reason: string; cardLast4: string }) => [f.reason, f.cardLast4]), [['The card has insufficient funds.', '0341']]);
    // What the caller did in this call, from its evidence: the keys, each after what they heard.
    const pressed = body.thisCall.filter((s: { kind: string }) => s.kind === 'pressed').map((s: { digits: string | null }) => s.digits);
    assert.deepEqual(pressed.slice(0, 4), ['3', '1', '2', '0']);
    const heardFirst = body.thisCall.find((s: { kind: string }) => s.kind === 'heard');
    assert.match(heardFirst.said, /Harbor Mutual/);
    assert.equal(body.kind, 'transfer');
    assert.equal((await get(theirs)).statusCode, 403, 'a specialist not rung for it');
    assert.equal((await h.app.inject({ method: 'GET', url: `/api/transfers/${t.id}` })).statusCode, 401);

    const post = (token: string, payload: unknown) => h.app.inject({ method: 'POST', url: `/api/transfers/${t.id}/outcome`, headers: { authorization: `Bearer ${token}` }, payload: payload as object });
    const bad = await post(mine, { outcome: 'downgraded', to: 'cheaper' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().message, /to/);
    assert.equal((await post(theirs, { outcome: 'saved' })).statusCode, 403);
    const text = h.carrier.messages.next({ to: m.phone }, 15_000);
    const ok = await post(mine, { outcome: 'downgraded', to: 'tier' });
    assert.equal(ok.statusCode, 202, ok.body);
    assert.equal(ok.json().offer.toPremiumCents, 9960);
    const p = await waitFor(async () => (await h.t.db.query(`select coverage_tier, premium_cents::int as premium from policies where id = $1 and coverage_tier = 'basic'`, [m.policyId])).rows[0]);
    assert.deepEqual(p, { coverage_tier: 'basic', premium: 9960 });
    assert.match((await text).body, /\$99\.60/);
    const kase = await waitFor(async () => (await h.t.db.query(`select outcome from cancellation_requests where policy_id = $1 and outcome is not null`, [m.policyId])).rows);
    assert.deepEqual(kase, [{ outcome: 'downgraded' }], 'the call\'s own case decided, no second case');
  });
});
