import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { savePaymentMethod } from '../../src/payments/save-payment-method.js';
import { createScriptedInput, type ScriptStep } from '../../src/telephony/simulator/index.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { seedDue, seedPolicyholder, seedSmsConsent } from '../support/seed.js';

/**
 * The IVR end to end through the carrier simulator, which follows the
 * gateway's TwiML exactly as Twilio would (Gather, Redirect, Pay, Enqueue,
 * Hangup, status callbacks), against the whole gateway with its worker.
 */
let h: GatewayHarness;
let n = 0;
before(async () => {
  h = await startGatewayHarness();
});
after(async () => h.close());

const holder = async (o: { phone: string; locale?: string; card?: string | null; zip?: string }) => {
  const p = await seedPolicyholder(h.t.db, { firstName: o.locale === 'es-US' ? 'José' : 'Maria', phone: o.phone, policyNumber: `HM-7${String(++n).padStart(5, '0')}`, locale: o.locale ?? 'en-US', zip: o.zip ?? '20500' });
  const dueId = await seedDue(h.t.db, p.policyId, 12_450);
  await seedSmsConsent(h.t.db, o.phone);
  if (o.card) await savePaymentMethod({ policyholderId: p.policyholderId, paymentMethodId: o.card }, h.payments.deps);
  return { ...p, dueId };
};

const call = (from: string, steps: ScriptStep[]) =>
  h.sim.placeCall({ from, to: '+18005550100', input: createScriptedInput(steps, { whenExhausted: 'hangup', pauseMsPerSecond: 250 }) });
/** Polls until `read` returns a non-empty list (work done by the worker after the call), or 5 s pass. */
const eventually = async <T>(read: () => Promise<T[]>): Promise<T[]> => {
  const until = Date.now() + 5_000;
  for (;;) {
    const rows = await read();
    if (rows.length > 0 || Date.now() > until) return rows;
    await new Promise((r) => setTimeout(r, 50));
  }
};
const heard = (c: { said: string[] }) => c.said.join(' ');
const dueStatus = async (dueId: string) => (await h.t.db.query('select status from premium_dues where id = $1', [dueId])).rows[0].status as string;

describe('identification', () => {
  test('an unknown caller gives a policy number by keypad and a ZIP, is greeted by name, and hears the amount due', async () => {
    const m = await holder({ phone: '+12025550301' });
    const c = await call('+13125550999', [{ digits: `${m.policyNumber.replace(/\D/g, '')}#` }, { digits: '20500' }, { digits: '2' }, 'hangup']);
    assert.deepEqual(c.errors, []);
    assert.match(heard(c), /Thank you for calling Harbor Mutual\. Please enter your policy number/);
    assert.match(heard(c), /Thank you, Maria\./);
    assert.match(heard(c), /Your premium of \$124\.50 (?:is|was) due on December 1/);
  });

  test('a policy number can be said instead of keyed', async () => {
    const m = await holder({ phone: '+12025550302' });
    const c = await call('+13125550998', [{ speech: m.policyNumber.split('').join(' '), confidence: 0.8 }, { digits: '20500' }, 'hangup']);
    assert.match(heard(c), /For your security/);
  });

  test('failed verification three times leads to a person, never a dead end', async () => {
    const m = await holder({ phone: '+12025550303' });
    const key = m.policyNumber.replace(/\D/g, '');
    const c = await call('+13125550997', [{ digits: key }, { digits: '11111' }, { digits: '22222' }, { digits: '33333' }, { digits: '0' }, 'hangup']);
    assert.deepEqual(c.errors, []);
    assert.equal((heard(c).match(/does not match our records/g) ?? []).length, 2);
    assert.match(heard(c), /To speak with a specialist, press 0/);
    // Nobody is on duty in this file's gateway: the person is a callback (test/e2e/warm-transfer.test.ts rings specialists).
    assert.match(heard(c), /To have a specialist call you back at this number, press 1/);
  });
});

describe('menu branches, silence and garbage', () => {
  test('repeat, then cancel: the retention call asks why, the request is recorded, and 0 reaches the callback offer', async () => {
    const m = await holder({ phone: '+12025550304' });
    const c = await call(m.phone, [{ digits: '9' }, { digits: '3' }, { digits: '0' }, 'hangup']);
    assert.match(heard(c), /To have a specialist call you back, press 1/);
    assert.equal((heard(c).match(/To pay your premium, press 1/g) ?? []).length, 2);
    assert.match(heard(c), /Please tell us why/);
    // Recorded by the worker from the call's outbox row.
    const rows = await eventually(async () => (await h.t.db.query(`select status from cancellation_requests where policy_id = $1`, [m.policyId])).rows);
    assert.deepEqual(rows, [{ status: 'open' }]);
  });

  test('0 with nobody on duty: a callback is offered, booked, and the caller may go back to the menu', async () => {
    const m = await holder({ phone: '+12025550305' });
    const c = await call(m.phone, [{ digits: '0' }, { digits: '1' }, { digits: '9' }, 'hangup']);
    assert.deepEqual(c.errors, []);
    assert.match(heard(c), /A specialist will call you back at this number/);
    assert.equal((heard(c).match(/To pay your premium, press 1/g) ?? []).length, 2);
    const booked = await eventually(async () => (await h.t.db.query<{ reason: string }>('select reason from callback_requests where phone_e164 = $1', [m.phone])).rows);
    assert.deepEqual(booked, [{ reason: 'asked' }]);
  });

  test('garbage keys and silence re-prompt with help, then a person is offered; staying on the line reaches the callback offer', async () => {
    const m = await holder({ phone: '+12025550306' });
    const c = await call(m.phone, [{ digits: '7' }, { silence: true }, { digits: '5' }, { silence: true }, 'hangup']);
    assert.deepEqual(c.errors, []);
    assert.match(heard(c), /did not understand/);
    assert.match(heard(c), /did not hear anything/);
    assert.match(heard(c), /having trouble\. To speak with a specialist, press 0, or just stay on the line\./);
    assert.match(heard(c), /To have a specialist call you back at this number, press 1/);
  });
});

describe('paying', () => {
  test('hanging up in the middle of <Pay> ends the call; nothing is charged', async () => {
    const m = await holder({ phone: '+12025550307' });
    const before = h.payments.fakeStripe!.counters.chargesCreated;
    const c = await call(m.phone, [{ digits: '1' }, 'hangup']);
    assert.equal(c.endReason, 'caller-hangup');
    assert.equal(h.payments.fakeStripe!.counters.chargesCreated, before);
    assert.equal(await dueStatus(m.dueId), 'open');
    const s = await h.t.db.query(`select snapshot->>'value' as state from flow_sessions where session_key = $1`, [`call:${c.callSid}`]);
    assert.equal(s.rows[0].state, 'ended');
  });

  for (const result of ['too-many-failed-attempts', 'payment-connector-error', 'caller-interrupted-with-star', 'validation-error', 'internal-error'] as const) {
    test(`<Pay> Result=${result}: the caller can try again or reach a person`, async () => {
      const m = await holder({ phone: `+1202555${String(400 + n).padStart(4, '0')}` });
      const c = await call(m.phone, [{ digits: '1' }, { pay: { result } }, { digits: '9' }, 'hangup']);
      assert.deepEqual(c.errors, []);
      assert.match(heard(c), /could not take that card\. To try again, press 1/);
      assert.equal(await dueStatus(m.dueId), 'open');
    });
  }

  test('a double submission (Twilio re-sends the key press) is answered the same and charges once', async () => {
    const m = await holder({ phone: '+12025550308', card: 'pm_card_visa' });
    const before = h.payments.fakeStripe!.counters.chargesCreated;
    const c = await call(m.phone, [{ digits: '1' }, { digits: '1' }, 'hangup']);
    assert.match(heard(c), /was received/);
    const press = c.transcript.find((x) => x.url.includes('expect=card-choice') && x.params.Digits === '1');
    assert.ok(press);
    const again = await c.client.resend(press);
    assert.equal(again.status, 200);
    assert.equal(again.body, press.body);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(h.payments.fakeStripe!.counters.chargesCreated - before, 1);
  });

  test('after paying, 9 returns to the menu, where nothing is due any more', async () => {
    const m = await holder({ phone: '+12025550311', card: 'pm_card_visa' });
    const c = await call(m.phone, [{ digits: '1' }, { digits: '1' }, { digits: '9' }, { digits: '2' }, 'hangup']);
    assert.deepEqual(c.errors, []);
    assert.match(heard(c), /was received\. Your confirmation number is/);
    assert.match(heard(c), /To return to the main menu, press 9/);
    assert.match(heard(c), /received\..*To pay your premium, press 1.*You have no payment due at this time/s);
    assert.equal(c.endReason, 'caller-hangup');
  });

  test('Spanish: greeting, amount and confirmation in Spanish; receipt texted in Spanish', async () => {
    const m = await holder({ phone: '+12025550309', locale: 'es-US', card: 'pm_card_visa' });
    const receipt = h.carrier.messages.next({ to: m.phone });
    const c = await call(m.phone, [{ digits: '1' }, { digits: '1' }, 'hangup']);
    assert.match(heard(c), /Hola José/);
    assert.match(heard(c), /Su prima de \$124\.50 (?:vence|venció) el 1 de diciembre/);
    assert.match(heard(c), /Recibimos su pago de \$124\.50\. Su número de confirmación es/);
    assert.match((await receipt).body, /recibimos su pago/);
  });
});
