import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { Redis } from 'ioredis';
import { createContactEngine, type ContactEngine } from '../../src/contact/contact-engine.js';
import { createSenderRateLimiter } from '../../src/contact/sender-rate-limiter.js';
import { DEFAULT_SENDER_RATES } from '../../src/contact/sender-rates-config.js';
import { createTestRedis } from '../support/test-redis.js';
import { DEFAULT_CONTACT_POLICY } from '../../src/contact/contact-policy-config.js';
import { loadNanpPrefixData } from '../../src/contact/nanp-prefix-data.js';
import { createManualClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { deliverSms } from '../../src/sms/deliver-sms.js';
import { startFakeTwilioApi, type FakeTwilioApi } from '../../src/telephony/simulator/fake-twilio-api.js';
import { createTwilioClient } from '../../src/telephony/twilio-client.js';
import { createTwilioSmsSender } from '../../src/telephony/twilio-sms-sender.js';
import { seedPolicyholder } from '../support/seed.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

// Thursday 3 December 2026, 15:00 UTC: 10:00 in New York, 09:00 in Chicago, 08:00 in Denver, 07:00 in Los Angeles.
const clock = createManualClock('2026-12-03T15:00:00Z');
const OUR_NUMBER = '+18005550100';
let t: TestDb;
let carrier: FakeTwilioApi;
let engine: ContactEngine;

before(async () => {
  t = await createTestDb();
  carrier = await startFakeTwilioApi({ accountSid: 'ACtest', authToken: 'token', webhooks: { gatewayUrl: 'http://127.0.0.1:9', publicBaseUrl: 'https://gw.example' } });
  const sender = createTwilioSmsSender(createTwilioClient({ accountSid: 'ACtest', authToken: 'token', apiBaseUrl: carrier.url }));
  engine = createContactEngine({
    db: t.db, now: clock.now, policy: DEFAULT_CONTACT_POLICY, nanp: loadNanpPrefixData(), defaultFrom: OUR_NUMBER,
    deliverText: (m) => deliverSms({ db: t.db, sender, statusCallbackUrl: 'https://gw.example/twilio/sms/status', now: clock.now }, m),
  });
});
after(async () => {
  await carrier.close();
  await t.drop();
});
beforeEach(() => clock.set('2026-12-03T15:00:00Z'));

let seq = 0;
/** A policyholder with one number, its SMS consent, and optionally a zone on record. */
const holder = async (areaCode: string, o: { sms?: 'granted' | 'opted-out' | 'none'; zone?: string } = {}) => {
  seq += 1;
  const phone = `+1${areaCode}555${String(1000 + seq).slice(-4)}`;
  const h = await seedPolicyholder(t.db, { firstName: `H${seq}`, phone, policyNumber: `CT-${seq}` });
  if (o.zone) await t.db.query('update policyholders set time_zone = $2 where id = $1', [h.policyholderId, o.zone]);
  if ((o.sms ?? 'granted') !== 'none') {
    await t.db.query(`insert into consents (phone_e164, channel, granted, source, recorded_at) values ($1, 'sms', $2, 'import', now())`, [phone, (o.sms ?? 'granted') === 'granted']);
  }
  return h;
};
const job = () => ({ id: newId(), interactionId: null, markStarted: async () => null });
const notice = (to: string, over: Partial<Parameters<ContactEngine['sendText']>[0]> = {}) =>
  ({ to, body: 'Harbor Mutual: your premium of $124.50 is due Dec 5.', kind: 'informational' as const, purpose: 'due-reminder', ...over });
const sentTo = (to: string) => carrier.messages.entries.filter((m) => m.to === to);

test('a notice inside the recipient’s hours goes at once, with why it was allowed in its evidence', async () => {
  const h = await holder('212');
  const out = await engine.sendText(notice(h.phone), job());
  assert.equal(out.deferUntil, undefined);
  assert.equal(sentTo(h.phone).length, 1);
  const sent = out.evidence.find((e) => e.type === 'outbound.sent');
  assert.deepEqual({ ...sent!.payload, providerId: undefined, status: undefined }, {
    channel: 'sms', to: h.phone, from: OUR_NUMBER, body: notice(h.phone).body, providerId: undefined, status: undefined,
    encoding: 'GSM-7', segments: 1, kind: 'informational', purpose: 'due-reminder', zones: ['America/New_York'], zoneBasis: 'number-prefix',
  });
});

test('22:00 where the recipient lives: deferred to 08:00 their time, with the evidence; sent when asked again then', async () => {
  clock.set('2026-12-04T03:00:00Z'); // 22:00 in New York
  const h = await holder('212');
  const first = job();
  const out = await engine.sendText(notice(h.phone), first);
  assert.equal(out.deferUntil?.toISOString(), '2026-12-04T13:00:00.000Z');
  assert.deepEqual(out.evidence.map((e) => [e.type, e.payload.reason, e.payload.until]), [['contact.deferred', 'quiet-hours', '2026-12-04T13:00:00.000Z']]);
  assert.equal(sentTo(h.phone).length, 0);
  clock.set(out.deferUntil!);
  const again = await engine.sendText(notice(h.phone), first);
  assert.equal(again.deferUntil, undefined);
  assert.equal(sentTo(h.phone).length, 1);
});

test('the zone on the policyholder’s record wins over the number’s area code', async () => {
  // A New York number whose holder lives in Los Angeles: 10:00 in New York is 07:00 for them.
  const h = await holder('212', { zone: 'America/Los_Angeles' });
  const out = await engine.sendText(notice(h.phone), job());
  assert.equal(out.deferUntil?.toISOString(), '2026-12-03T16:00:00.000Z');
  assert.equal(out.evidence[0]!.payload.zoneBasis, 'known-zone');
});

test('an area code in two zones: sent only once it is 08:00 in both', async () => {
  // 605 (South Dakota) spans Central and Mountain time; 14:30 UTC is 08:30 in Chicago but 07:30 in Denver.
  clock.set('2026-12-03T14:30:00Z');
  const h = await holder('605');
  const out = await engine.sendText(notice(h.phone), job());
  assert.deepEqual(out.evidence[0]!.payload.zones, ['America/Chicago', 'America/Denver', 'America/North_Dakota/Center']);
  assert.equal(out.deferUntil?.toISOString(), '2026-12-03T15:00:00.000Z');
});

test('Florida’s own window: 20:30 in Miami is too late, though 21:00 is the general end', async () => {
  clock.set('2026-12-04T01:30:00Z'); // 20:30 in Miami
  const h = await holder('305');
  const out = await engine.sendText(notice(h.phone), job());
  assert.equal(out.deferUntil?.toISOString(), '2026-12-04T13:00:00.000Z');
});

test('no consent or opted out: suppressed, nothing sent, the reason recorded', async () => {
  const none = await holder('212', { sms: 'none' });
  const out = await holder('212', { sms: 'opted-out' });
  for (const [h, reason] of [[none, 'no-consent'], [out, 'opted-out']] as const) {
    const r = await engine.sendText(notice(h.phone), job());
    assert.deepEqual(r.evidence.map((e) => [e.type, e.payload.reason]), [['outbound.suppressed', reason]]);
    assert.equal(sentTo(h.phone).length, 0);
  }
});

test('an opt-out sent to one of our numbers stops a notice from another of our numbers', async () => {
  const h = await holder('212');
  // As the SMS webhook records a STOP texted to our long code: the registry is per number, for all our numbers.
  await t.db.query(`update consents set granted = false, source = 'sms-keyword:STOP' where phone_e164 = $1 and channel = 'sms'`, [h.phone]);
  const r = await engine.sendText(notice(h.phone, { from: '+18335550199' }), job());
  assert.equal(r.evidence[0]!.payload.reason, 'opted-out');
  assert.equal(sentTo(h.phone).length, 0);
});

test('the daily cap: a fourth notice waits until the first leaves the 24 hours; receipts are neither capped nor counted', async () => {
  const h = await holder('212');
  for (let i = 0; i < 3; i++) {
    assert.equal((await engine.sendText(notice(h.phone), job())).deferUntil, undefined);
    clock.advance(60_000);
  }
  const receipt = await engine.sendText(notice(h.phone, { kind: 'transactional', purpose: 'payment-receipt', replyToInbound: true }), job());
  assert.equal(receipt.deferUntil, undefined);
  const fourth = await engine.sendText(notice(h.phone), job());
  assert.equal(fourth.evidence[0]!.payload.reason, 'daily-cap');
  assert.equal(fourth.deferUntil?.toISOString(), '2026-12-04T15:00:00.000Z');
  assert.equal(sentTo(h.phone).length, 4);
});

test('five notices for one person at the same moment: exactly three go, two wait (the cap holds under concurrency)', async () => {
  const h = await holder('212');
  const outcomes = await Promise.all(Array.from({ length: 5 }, () => engine.sendText(notice(h.phone), job())));
  assert.equal(outcomes.filter((o) => o.deferUntil === undefined).length, 3);
  assert.equal(outcomes.filter((o) => o.evidence[0]?.payload.reason === 'daily-cap').length, 2);
  assert.equal(sentTo(h.phone).length, 3);
});

test('the carrier refuses an unsubscribed number (21610): the registry records the opt-out, and the text does not count against the cap', async () => {
  const h = await holder('212');
  carrier.beforeCreate = (kind, p) => (kind === 'message' && p.get('To') === h.phone ? { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' } : undefined);
  try {
    const j = job();
    const r = await engine.sendText(notice(h.phone), j);
    assert.deepEqual(r.evidence.map((e) => e.type), ['outbound.failed', 'consent.changed']);
    const consent = (await t.db.query(`select granted, source from consents where phone_e164 = $1 and channel = 'sms'`, [h.phone])).rows[0];
    assert.deepEqual(consent, { granted: false, source: 'carrier-error:21610' });
    assert.equal((await t.db.query('select count(*)::int as n from contact_log where outbox_id = $1', [j.id])).rows[0].n, 0);
    const later = await engine.sendText(notice(h.phone), job());
    assert.equal(later.evidence[0]!.payload.reason, 'opted-out');
  } finally {
    carrier.beforeCreate = () => undefined;
  }
});

test('emoji and Spanish letters: each text recorded with the encoding and segments the carrier bills', async () => {
  const h = await holder('212');
  const cases: [string, string, number][] = [
    ['ñ'.repeat(160), 'GSM-7', 1], ['ñ'.repeat(161), 'GSM-7', 2], // ñ is in the GSM-7 alphabet
    ['á'.repeat(70), 'UCS-2', 1], ['á'.repeat(71), 'UCS-2', 2], // á is not
    ['😀'.repeat(35), 'UCS-2', 1], ['😀'.repeat(36), 'UCS-2', 2], // an emoji is two UTF-16 units and is never split
  ];
  for (const [body, encoding, segments] of cases) {
    const out = await engine.sendText(notice(h.phone, { body, kind: 'transactional', replyToInbound: true }), job());
    const sent = out.evidence.find((e) => e.type === 'outbound.sent')!;
    assert.deepEqual([sent.payload.encoding, sent.payload.segments], [encoding, segments], body.slice(0, 3));
    const row = (await t.db.query('select encoding, segments from sms_messages where provider_sid = $1', [sent.providerRef])).rows[0];
    assert.deepEqual(row, { encoding, segments });
  }
});

test('the sender’s rate: a text whose slot is near waits for it; one far off goes back to the queue until its slot, which stays its own', async () => {
  const redisOf = createTestRedis();
  const redis = new Redis(redisOf.url);
  try {
    const limited = createContactEngine({
      db: t.db, now: clock.now, policy: DEFAULT_CONTACT_POLICY, nanp: loadNanpPrefixData(), defaultFrom: OUR_NUMBER,
      limiter: createSenderRateLimiter(redis, { prefix: redisOf.prefix, rates: { ...DEFAULT_SENDER_RATES, perSender: { '+18335550123': 0.5 } } }),
      deliverText: (m) => deliverSms({ db: t.db, sender: createTwilioSmsSender(createTwilioClient({ accountSid: 'ACtest', authToken: 'token', apiBaseUrl: carrier.url })), statusCallbackUrl: 'https://gw.example/s', now: clock.now }, m),
    });
    const people = [await holder('212'), await holder('212')];
    const jobs = [job(), job()];
    const first = await limited.sendText(notice(people[0]!.phone, { from: '+18335550123' }), jobs[0]!);
    assert.equal(first.deferUntil, undefined);
    // 0.5 segments a second: the next slot is 2 s away, too far to hold a worker for.
    const second = await limited.sendText(notice(people[1]!.phone, { from: '+18335550123' }), jobs[1]!);
    assert.deepEqual(second.evidence, []);
    const wait = second.deferUntil!.getTime() - Date.now();
    assert.ok(wait > 1_500 && wait <= 2_100, `deferred ${wait} ms`);
    assert.equal(sentTo(people[1]!.phone).length, 0);
    // Woken at its slot, the job sends without queueing behind texts reserved meanwhile.
    await new Promise((r) => setTimeout(r, wait));
    const again = await limited.sendText(notice(people[1]!.phone, { from: '+18335550123' }), jobs[1]!);
    assert.equal(again.deferUntil, undefined);
    assert.equal(sentTo(people[1]!.phone).length, 1);
  } finally {
    redis.disconnect();
    await redisOf.cleanup();
  }
});
