import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { placeRecoveryCall } from '../../src/recovery-call/place-recovery-call.js';
import type { RecoveryCallEnded } from '../../src/recovery-call/recovery-call-deps.js';
import { systemClock } from '../../src/shared/clock.js';
import { createScriptedInput, type ScriptStep } from '../../src/telephony/simulator/index.js';
import { sendPayLinkJob } from '../../src/jobs/contracts/send-pay-link.job.js';
import { outboxRow } from '../../src/jobs/outbox-rows.js';
import { createWebhookClient } from '../../src/telephony/simulator/index.js';
import { callSid, TEST_ACCOUNT_SID, TEST_AUTH_TOKEN, TEST_PUBLIC_URL } from '../support/build-test-app.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedCard, seedDue, seedPolicyholder, seedSmsConsent } from '../support/seed.js';

/**
 * Outbound recovery calls end to end: placeRecoveryCall dials through the real twilio SDK against the
 * simulated carrier, which answers as the test says (a person keying, a machine, nobody), plays the
 * call's TwiML, posts the asynchronous AMD verdict and the status callbacks; the charge and the pay
 * link run in the real worker on real Postgres and Redis.
 */
let h: GatewayHarness;
let n = 0;
let outcomes: RecoveryCallEnded[] = [];
const OUR_NUMBER = '+18005550100';

before(async () => {
  h = await startGatewayHarness();
  h.recoveryCalls.onOutcome = async (o) => void outcomes.push(o);
});
after(async () => h.close());
beforeEach(() => {
  outcomes = [];
});

const customer = async (o: { locale?: string; card?: boolean } = {}) => {
  n += 1;
  const phone = `+1202555${String(7700 + n)}`;
  const p = await seedPolicyholder(h.t.db, { firstName: 'Dana', phone, policyNumber: `HM-R-${810000 + n}`, ...(o.locale ? { locale: o.locale } : {}) });
  if (o.card) await seedCard(h.t.db, p.policyholderId);
  await seedSmsConsent(h.t.db, phone);
  const dueId = await seedDue(h.t.db, p.policyId, 12_450, '2026-12-01');
  return { ...p, phone, dueId };
};

/** Places the recovery call for a due and waits until the carrier has played it to its end (status callbacks included). */
const recoveryCall = async (c: { dueId: string; phone: string }, locale: 'en-US' | 'es-US' = 'en-US') => {
  const placed = await placeRecoveryCall(
    { db: h.t.db, clock: systemClock, calls: h.calls, publicBaseUrl: TEST_PUBLIC_URL, fromNumber: OUR_NUMBER },
    { dueId: c.dueId, stepId: 'day-1-call', to: c.phone, locale },
  );
  const result = await h.carrier.callResults.next({ sid: placed.callSid });
  await h.carrier.idle();
  return result;
};

/** A person answering and keying `steps`; a pause takes a quarter of its length in real time, so a charge has time to run. */
const person = (steps: ScriptStep[]) => () => ({ input: createScriptedInput(steps, { pauseMsPerSecond: 250 }) });
const heard = (r: { said: string[] }) => r.said.join(' ');
const dueStatus = async (dueId: string) => (await h.t.db.query('select status from premium_dues where id = $1', [dueId])).rows[0]?.status;
const outcomeOf = (callSid: string) => outcomes.filter((o) => o.callSid === callSid).map((o) => o.outcome);

describe('outbound recovery call', () => {
  test('a person presses 1: the card on file pays the due, they hear the confirmation, the outcome is paid', async () => {
    const c = await customer({ card: true });
    h.carrier.onCall = person([{ digits: '1' }]);
    const r = await recoveryCall(c);
    assert.deepEqual(r.errors, []);
    const said = heard(r);
    assert.match(r.said[0] ?? '', /^This is Harbor Mutual calling about your policy payment\. To pay now with your card on file, press 1\./);
    assert.doesNotMatch(r.said[0] ?? '', /\$|124/, 'no amount before a key is pressed');
    assert.match(said, /Your payment of \$124\.50, due December 1, will be charged to your card ending in 4242\./);
    assert.match(said, /Your payment of \$124\.50 is complete\. Your confirmation number is [0-9A-Z](, [0-9A-Z])+\./);
    assert.equal(await dueStatus(c.dueId), 'paid');
    assert.deepEqual(outcomeOf(r.callSid), ['paid']);
    assert.deepEqual(outcomes[0], { dueId: c.dueId, stepId: 'day-1-call', callSid: r.callSid, outcome: 'paid' });
    const amd = h.carrier.callbacks.find((x) => x.params.CallSid === r.callSid && x.params.AnsweredBy !== undefined);
    assert.equal(amd?.params.AnsweredBy, 'human');
    assert.equal(amd?.status, 200);
    // The call's own chain says it was placed, what was said and pressed, and how it ended.
    const types = (await h.t.db.query(
      `select e.type from evidence_events e join interactions i on i.id = e.interaction_id where i.kind = 'call' and i.provider_ref = $1 order by e.seq`, [r.callSid],
    )).rows.map((x) => x.type);
    // why: the simulated phone answers at once, so the greeting may be recorded before the create's answer is.
    for (const t of ['outbound.sent', 'ivr.prompt', 'ivr.input', 'call.status']) assert.ok(types.includes(t), `${t} in ${types.join(', ')}`);
  });

  test('a person presses 2 (in Spanish): the pay link is texted to the number called, the outcome is link-sent', async () => {
    const c = await customer({ locale: 'es-US' });
    h.carrier.onCall = person([{ digits: '2' }]);
    const r = await recoveryCall(c, 'es-US');
    assert.match(r.said[0] ?? '', /^Le llama Harbor Mutual por el pago de su póliza\./);
    assert.match(heard(r), /Le enviamos por mensaje de texto un enlace seguro para pagar/);
    const text = await h.carrier.messages.next({ to: c.phone });
    assert.equal(text.from, OUR_NUMBER);
    assert.match(text.body, /https?:\/\/\S+/);
    assert.equal(await dueStatus(c.dueId), 'open');
    assert.deepEqual(outcomeOf(r.callSid), ['link-sent']);
  });

  test('a declined card: the caller hears so, presses 2 and gets the link instead; the due stays open', async () => {
    const c = await customer();
    await seedCard(h.t.db, c.policyholderId, 'pm_card_chargeDeclined', '0002');
    h.carrier.onCall = person([{ digits: '1' }, { digits: '2' }]);
    const r = await recoveryCall(c);
    assert.deepEqual(r.errors, []);
    assert.match(heard(r), /charged to your card ending in 0002\..*We could not charge your card\. To get a secure payment link by text, press 2\..*We are texting you a secure link to pay \$124\.50, due December 1\./);
    assert.equal(await dueStatus(c.dueId), 'open');
    assert.match((await h.carrier.messages.next({ to: c.phone })).body, /https?:\/\/\S+/);
    assert.deepEqual(outcomeOf(r.callSid), ['link-sent']);
  });

  test('a person who keys nothing hears the menu once more, then goodbye; the outcome is hung-up', async () => {
    const c = await customer();
    h.carrier.onCall = () => ({ input: createScriptedInput([], { whenExhausted: 'silence' }) });
    const r = await recoveryCall(c);
    assert.equal(r.said.length, 4, r.said.join(' | '));
    assert.match(r.said[1] ?? '', /^Sorry, we did not get that\./);
    assert.equal(r.said[3], 'Thank you for your time. Goodbye.');
    assert.doesNotMatch(heard(r), /\$/);
    assert.deepEqual(outcomeOf(r.callSid), ['hung-up']);
  });

  test('a machine after its beep gets the voicemail: the callback number, no amount, no policy, no name', async () => {
    const c = await customer();
    h.carrier.onCall = () => ({ answeredBy: 'machine_end_beep', machineDetectionMs: 9100 });
    const r = await recoveryCall(c);
    assert.deepEqual(r.errors, []);
    assert.ok(r.events.some((e) => e.type === 'updated' && e.by === 'redirect'), 'moved to the voicemail through the Calls API');
    const voicemail = r.said.at(-1) ?? '';
    assert.match(voicemail, /Please call us back at 8 0 0, 5 5 5, 0 1 0 0\./);
    assert.doesNotMatch(heard(r), /\$|124|December|Dana|HM-R|H M - R/);
    assert.equal(r.endReason, 'hangup-verb');
    assert.deepEqual(outcomeOf(r.callSid), ['voicemail']);
  });

  test('a due paid meanwhile: nobody is called', async () => {
    const c = await customer();
    await h.t.db.query(`update premium_dues set status = 'paid', paid_at = now() where id = $1`, [c.dueId]);
    const before = h.carrier.calls.entries.length;
    await assert.rejects(
      placeRecoveryCall({ db: h.t.db, clock: systemClock, calls: h.calls, publicBaseUrl: TEST_PUBLIC_URL, fromNumber: OUR_NUMBER }, { dueId: c.dueId, stepId: 'day-1-call', to: c.phone, locale: 'en-US' }),
      { code: 'PAY_DUE_ALREADY_PAID' },
    );
    assert.equal(h.carrier.calls.entries.length, before);
  });

  test('no answer and busy: nothing is played, the outcome is reported', async () => {
    const c = await customer();
    h.carrier.onCall = () => ({ status: 'no-answer' });
    const missed = await recoveryCall(c);
    h.carrier.onCall = () => ({ status: 'busy' });
    const busy = await recoveryCall(c);
    for (const r of [missed, busy]) assert.deepEqual(r.said, []);
    assert.deepEqual(outcomeOf(missed.callSid), ['no-answer']);
    assert.deepEqual(outcomeOf(busy.callSid), ['busy']);
  });

  test('a repeated status callback reports nothing twice, and what the port queued with the outcome happens once', async () => {
    const c = await customer();
    // The port's jobs commit with the outcome: here, recovery texting the pay link after the call.
    h.recoveryCalls.onOutcome = async (o) => {
      outcomes.push(o);
      return [outboxRow(sendPayLinkJob, { dueId: o.dueId, to: c.phone, locale: 'en-US', messageSid: o.callSid }, { runAt: new Date() })];
    };
    try {
      h.carrier.onCall = person([{ digits: '0' }]);
      const r = await recoveryCall(c);
      assert.match(heard(r), /A specialist will call you back soon\./);
      const final = h.carrier.callbacks.find((x) => x.params.CallSid === r.callSid && x.params.CallStatus === 'completed');
      assert.ok(final, 'the final status callback');
      await h.carrier.messages.next({ to: c.phone });
      const again = await r.client.resend(final);
      assert.equal(again.status, 200);
      await h.dispatcher.idle();
      await h.carrier.idle();
      const ends = (await h.t.db.query(
        `select count(*)::int as n from evidence_events e join interactions i on i.id = e.interaction_id
          where i.provider_ref = $1 and e.type = 'call.status' and e.payload ? 'outcome'`, [r.callSid])).rows[0].n;
      assert.equal(ends, 1);
      assert.deepEqual(outcomeOf(r.callSid), ['person-asked']);
      const queued = (await h.t.db.query(
        `select count(*)::int as n from outbox o join interactions i on i.id = o.interaction_id where i.provider_ref = $1 and o.topic = 'sms.send-pay-link'`, [r.callSid])).rows[0].n;
      assert.equal(queued, 1, 'queued once, on the call');
      assert.equal(h.carrier.messages.entries.filter((m) => m.to === c.phone).length, 1, 'one text');
    } finally {
      h.recoveryCalls.onOutcome = async (o) => void outcomes.push(o);
    }
  });

  test('a late machine verdict after a key was pressed changes nothing: a person answered', async () => {
    const c = await customer();
    const sid = callSid(0xfeed01);
    const gateway = createWebhookClient({ gatewayUrl: h.url, publicBaseUrl: TEST_PUBLIC_URL, authToken: TEST_AUTH_TOKEN, accountSid: TEST_ACCOUNT_SID });
    const q = `?due=${c.dueId}&step=day-1-call&locale=en-US`;
    const call = { AccountSid: TEST_ACCOUNT_SID, CallSid: sid, From: OUR_NUMBER, To: c.phone, Direction: 'outbound-api', CallStatus: 'in-progress' };
    assert.equal((await gateway.send(`/twilio/recovery-call/answer${q}`, call)).status, 200);
    const keyed = await gateway.send(`/twilio/recovery-call/key${q}&try=1`, { ...call, Digits: '1' });
    assert.match(keyed.body ?? '', /we have no card on file for it/);
    const amd = await gateway.send(`/twilio/recovery-call/amd${q}`, { AccountSid: TEST_ACCOUNT_SID, CallSid: sid, AnsweredBy: 'machine_end_other', MachineDetectionDuration: '30000' });
    assert.equal(amd.status, 200);
    const row = (await h.t.db.query('select answered_by, result, keyed from recovery_calls where call_sid = $1', [sid])).rows[0];
    assert.deepEqual(row, { answered_by: 'machine_end_other', result: null, keyed: true });
    assert.ok(!h.carrier.calls.entries.some((x) => x.sid === sid), 'nothing asked of the Calls API');
    const verdict = (await h.t.db.query(
      `select e.payload->>'action' as action from evidence_events e join interactions i on i.id = e.interaction_id where i.provider_ref = $1 and e.type = 'call.status'`, [sid])).rows;
    assert.deepEqual(verdict, [{ action: 'none' }]);
  });
});
