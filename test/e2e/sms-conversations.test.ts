import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createManualClock } from '../../src/shared/clock.js';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.js';
import { savePaymentMethod } from '../../src/payments/save-payment-method.js';
import { seedDue, seedPolicy, seedPolicyholder, seedSmsConsent } from '../support/seed.js';

// Thursday 3 December 2026, 10:00 in New York: inside every recipient's hours.
const clock = createManualClock('2026-12-03T15:00:00Z');
const OURS = '+18005550100';
let h: GatewayHarness;
before(async () => {
  h = await startGatewayHarness({ clock });
});
after(async () => h.close());

let n = 0;
/** A consented policyholder with one policy and its open due; a card on file unless `card: null`. */
const customer = async (o: { locale?: string; amountCents?: number; card?: string | null } = {}) => {
  n += 1;
  const phone = `+1202555${String(7000 + n)}`;
  const p = await seedPolicyholder(h.t.db, { firstName: `C${n}`, phone, policyNumber: `HM-S-${700000 + n}`, locale: o.locale ?? 'en-US' });
  const dueId = await seedDue(h.t.db, p.policyId, o.amountCents ?? 4_250, '2026-12-05');
  // why: a card saved through (fake) Stripe, as the IVR saves one: each holder gets a PaymentMethod of their own.
  if (o.card !== null) await savePaymentMethod({ policyholderId: p.policyholderId, paymentMethodId: o.card ?? 'pm_card_visa' }, h.payments.deps);
  await seedSmsConsent(h.t.db, phone);
  return { ...p, dueId };
};

/** Texts the gateway as `from` and returns its TwiML reply (the empty string for none). */
const text = async (from: string, body: string, to = OURS): Promise<string> => {
  const r = await h.sim.sendSms({ from, to, body });
  assert.equal(r.error, undefined, `the gateway answered ${body} with ${r.error}`);
  assert.equal(r.exchange.status, 200);
  return r.replies.map((m) => m.body).join('\n');
};
const nextTextTo = (to: string) => h.carrier.messages.next({ to }, 10_000);
const attempts = async (dueId: string) =>
  (await h.t.db.query<{ status: string; channel: string }>('select status, channel from payment_attempts where due_id = $1 order by created_at', [dueId])).rows;
const dueStatus = async (dueId: string) => (await h.t.db.query('select status from premium_dues where id = $1', [dueId])).rows[0].status;

test('BAL lists every policy’s due; SALDO answers in Spanish', async () => {
  const james = await customer({ amountCents: 11_820 });
  const second = await seedPolicy(h.t.db, james.policyholderId, `HM-H-${800000 + n}`);
  await seedDue(h.t.db, second, 9_675, '2026-12-07');
  const bal = await text(james.phone, 'bal');
  assert.match(bal, new RegExp(`policy ${james.policyNumber}: \\$118\\.20 due Dec 5; policy HM-H-${800000 + n}: \\$96\\.75 due Dec 7`));
  const maria = await customer({ locale: 'es-US' });
  assert.match(await text(maria.phone, 'Saldo'), new RegExp(`póliza ${maria.policyNumber}: \\$42\\.50 vence 5 dic`));
});

test('PAY quotes the card on file, YES charges it once, and the receipt follows by text', async () => {
  const c = await customer();
  const quote = await text(c.phone, 'PAY');
  assert.match(quote, /reply YES within 10 minutes to pay \$42\.50 for policy HM-S-\d+ with your card ending 4242/);
  const receipt = nextTextTo(c.phone);
  assert.match(await text(c.phone, 'yes'), /charging \$42\.50 to your card ending 4242/);
  assert.match((await receipt).body, /payment of \$42\.50 received for policy/);
  assert.equal(await dueStatus(c.dueId), 'paid');
  assert.deepEqual(await attempts(c.dueId), [{ status: 'succeeded', channel: 'sms' }]);
  // A second YES is no longer a confirmation (no quote waits): nothing more is charged.
  await text(c.phone, 'YES');
  assert.equal((await attempts(c.dueId)).length, 1);
});

test('paid in a conversation with another of our numbers, the receipt comes from that number', async () => {
  const c = await customer();
  const other = '+18335550123';
  await text(c.phone, 'PAY', other);
  const receipt = nextTextTo(c.phone);
  await text(c.phone, 'YES', other);
  const sent = await receipt;
  assert.match(sent.body, /payment of \$42\.50 received/);
  assert.equal(sent.from, other);
});

test('PAGAR and SÍ in Spanish', async () => {
  const c = await customer({ locale: 'es-US' });
  assert.match(await text(c.phone, 'pagar'), /responda SI en 10 minutos para pagar \$42\.50 de la póliza/);
  const receipt = nextTextTo(c.phone);
  assert.match(await text(c.phone, 'Sí'), /Estamos cobrando \$42\.50 a su tarjeta terminada en 4242/);
  assert.match((await receipt).body, /recibimos su pago de \$42\.50/);
});

test('a late YES gets a fresh quote and no charge; YES to that one charges', async () => {
  const c = await customer();
  await text(c.phone, 'PAY');
  clock.advance(11 * 60_000);
  assert.match(await text(c.phone, 'YES'), /offer expired, so nothing was charged\. Reply YES within 10 minutes to pay \$42\.50/);
  assert.deepEqual(await attempts(c.dueId), []);
  const receipt = nextTextTo(c.phone);
  assert.match(await text(c.phone, 'YES'), /charging \$42\.50/);
  await receipt;
  assert.equal((await attempts(c.dueId)).length, 1);
});

test('a due paid by phone after the quote is not charged again by the YES', async () => {
  const c = await customer();
  await text(c.phone, 'PAY');
  const call = await h.sim.placeCall({ from: c.phone, to: OURS, input: (await import('../../src/telephony/simulator/index.js')).createScriptedInput([{ digits: '1' }, { digits: '1' }, 'hangup'], { whenExhausted: 'hangup', pauseMsPerSecond: 250 }) });
  assert.match(call.said.join(' '), /was received/);
  const answer = await text(c.phone, 'YES');
  // The quote no longer matches a due that is owed: a fresh look finds nothing due.
  assert.match(answer, /nothing is due/);
  assert.deepEqual((await attempts(c.dueId)).map((a) => a.channel), ['ivr']);
});

test('without a card on file, PAY texts a secure pay link; LINK does too', async () => {
  const c = await customer({ card: null });
  const link = nextTextTo(c.phone);
  assert.match(await text(c.phone, 'PAY'), /texting you a secure payment link for policy/);
  const sent = await link;
  assert.match(sent.body, /pay \$42\.50 for policy HM-S-\d+ securely here: http\S+ The link works until/);
  const again = nextTextTo(c.phone);
  assert.match(await text(c.phone, `link ${c.policyNumber.toLowerCase()}`), /payment link/);
  assert.equal((await again).body.match(/http\S+/)![0], sent.body.match(/http\S+/)![0], 'the live link is reused, never a second payable page');
});

test('paying by the texted link settles the due and texts the receipt', async () => {
  const c = await customer({ card: null });
  const link = nextTextTo(c.phone);
  await text(c.phone, 'PAY');
  const url = (await link).body.match(/http\S+/)![0];
  const receipt = nextTextTo(c.phone);
  h.payments.fakeStripe!.completeCheckout(url.split('/').at(-1)!);
  assert.match((await receipt).body, /payment of \$42\.50 received for policy HM-S-\d+\. Confirmation number \d{8}/);
  assert.equal(await dueStatus(c.dueId), 'paid');
});

test('a declined card is told by text, with another way to pay', async () => {
  const c = await customer({ card: 'pm_card_chargeDeclined' });
  await text(c.phone, 'PAY');
  const answer = nextTextTo(c.phone);
  await text(c.phone, 'YES');
  assert.match((await answer).body, /card ending 0002 was declined for \$42\.50 on policy .* Reply LINK to pay another way/);
  assert.deepEqual(await attempts(c.dueId), [{ status: 'failed', channel: 'sms' }]);
  assert.notEqual(await dueStatus(c.dueId), 'paid');
});

test('several dues: PAY asks which; a policy that is not theirs is refused without saying whose it is', async () => {
  const c = await customer();
  const otherNumber = `HM-H-${900000 + n}`;
  const other = await seedPolicy(h.t.db, c.policyholderId, otherNumber);
  await seedDue(h.t.db, other, 9_675, '2026-12-07');
  const stranger = await customer();
  assert.match(await text(c.phone, 'PAY'), /Which one would you like to pay\? Reply PAY and the policy number/);
  assert.match(await text(c.phone, `PAY ${stranger.policyNumber}`), new RegExp(`could not find policy ${stranger.policyNumber} for this number`));
  assert.match(await text(c.phone, `pay ${otherNumber.toLowerCase()}`), new RegExp(`to pay \\$96\\.75 for policy ${otherNumber}`));
});

test('CANCEL POLICY records the case and asks why; a bare CANCEL is an opt-out, never a policy action', async () => {
  const c = await customer();
  assert.match(await text(c.phone, 'Cancel policy'), new RegExp(`want to cancel policy ${c.policyNumber}\\. Why\\?`));
  const requests = async () => (await h.t.db.query(`select channel, status from cancellation_requests where policy_id = $1`, [c.policyId])).rows;
  const deadline = Date.now() + 5_000;
  while ((await requests()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(await requests(), [{ channel: 'sms', status: 'open' }], 'the retention team sees the request, from SMS');
  const consent = async () => (await h.t.db.query(`select granted from consents where phone_e164 = $1 and channel = 'sms'`, [c.phone])).rows[0].granted;
  assert.equal(await consent(), true);
  assert.match(await text(c.phone, ' cancel. '), /no longer receive text messages/);
  assert.equal(await consent(), false);
});

test('two messages we do not understand offer a person; CALL books one and confirms it by text', async () => {
  const c = await customer();
  assert.match(await text(c.phone, 'what is this about?'), /did not understand\. Reply BAL for your balance, PAY to pay/);
  assert.match(await text(c.phone, 'hmm'), /Reply CALL and a specialist will call you back/);
  const confirmation = nextTextTo(c.phone);
  assert.equal(await text(c.phone, 'call me'), '');
  assert.match((await confirmation).body, /callback is booked/);
  const booked = await h.t.db.query('select reason from callback_requests where phone_e164 = $1', [c.phone]);
  assert.deepEqual(booked.rows, [{ reason: 'asked' }]);
});

test('bad input gets a clear answer: an unknown number, empty, 1,600-character and binary-looking bodies', async () => {
  assert.match(await text('+13125559911', 'BAL'), /could not find a policy for this number\. Please call us at \(800\) 555-0100/);
  assert.match(await text('+13125559912', 'hola, necesito ayuda'), /lo sentimos, no entendimos/);
  const c = await customer();
  for (const body of ['', 'x'.repeat(1600), '\u0001\u0002\u00ff\ufffd'.repeat(50)]) {
    assert.match(await text(c.phone, body), /did not understand|could not help by text/);
  }
});

test('failed deliveries are classified by Twilio’s code; a late 21610 opts the number out like STOP', async () => {
  const landline = await customer({ card: null });
  const gone = await customer({ card: null });
  h.carrier.messageOutcome = (m) => (m.to === landline.phone ? { status: 'undelivered', errorCode: 30006 } : m.to === gone.phone ? { status: 'failed', errorCode: 21610 } : { status: 'delivered' });
  try {
    for (const c of [landline, gone]) {
      await text(c.phone, 'LINK');
      await nextTextTo(c.phone);
    }
    const statusOf = async (phone: string) => {
      const deadline = Date.now() + 5_000;
      const read = async () => (await h.t.db.query(
        `select e.payload from evidence_events e join interactions i on i.id = e.interaction_id
          where i.from_e164 = $1 and e.type = 'sms.status' and e.payload->>'status' in ('undelivered', 'failed')`, [phone])).rows[0]?.payload;
      while (!(await read()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      return read();
    };
    assert.deepEqual(await statusOf(landline.phone), { status: 'undelivered', errorCode: '30006', moved: true, failure: 'landline', retryable: false });
    assert.deepEqual(await statusOf(gone.phone), { status: 'failed', errorCode: '21610', moved: true, failure: 'opted-out', retryable: false });
    const consent = await h.t.db.query(`select granted, source from consents where phone_e164 = $1 and channel = 'sms'`, [gone.phone]);
    assert.deepEqual(consent.rows, [{ granted: false, source: 'carrier-error:21610' }]);
  } finally {
    h.carrier.messageOutcome = () => ({ status: 'delivered' });
  }
});

test('accented Spanish texts are recorded with the segments the carrier bills', async () => {
  const c = await customer({ locale: 'es-US', card: null });
  await text(c.phone, 'ENLACE');
  const link = await nextTextTo(c.phone);
  const read = async () => (await h.t.db.query('select encoding, segments from sms_messages where provider_sid = $1 and segments is not null', [link.sid])).rows[0];
  const deadline = Date.now() + 5_000;
  while (!(await read()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  // "póliza" (ó is not GSM-7) makes the pay-link text UCS-2: 67 characters a segment once split.
  assert.deepEqual(await read(), { encoding: 'UCS-2', segments: Math.ceil(link.body.length / 67) });
});
