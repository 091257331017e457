import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createTestRedis } from '../../test/support/test-redis.js';
import { createSenderRateLimiter, senderClassOf, type Reservation, type SenderRateLimiter } from './sender-rate-limiter.js';
import { DEFAULT_SENDER_RATES, type SenderRates } from './sender-rates-config.js';

const testRedis = createTestRedis();
const workerA = new Redis(testRedis.connection);
const workerB = new Redis(testRedis.connection);
after(async () => {
  await testRedis.cleanup();
  await Promise.all([workerA.quit(), workerB.quit()]);
});

const ratesWith = (perSender: Record<string, number>): SenderRates => ({ ...DEFAULT_SENDER_RATES, perSender });
const limiterOn = (redis: Redis, perSender: Record<string, number> = {}, maxWaitMs?: number): SenderRateLimiter =>
  createSenderRateLimiter(redis, { prefix: testRedis.prefix, rates: ratesWith(perSender), ...(maxWaitMs !== undefined && { maxWaitMs }) });
const granted = (r: Reservation) => {
  assert.ok(r.ok, `expected a reservation, got ${JSON.stringify(r)}`);
  return r;
};
const refused = (r: Reservation) => {
  assert.ok(!r.ok, `expected a refusal, got ${JSON.stringify(r)}`);
  return r;
};
const sleepUntil = (epochMs: number) => sleep(Math.max(0, epochMs - Date.now()));

test('senderClassOf: 3-8 digit short codes, +1 toll-free area codes, everything else a long code', () => {
  for (const s of ['123', '12345', '898211', '12345678']) assert.equal(senderClassOf(s), 'short-code', s);
  for (const area of ['800', '833', '844', '855', '866', '877', '888']) assert.equal(senderClassOf(`+1${area}5550100`), 'toll-free', area);
  for (const s of ['12', '123456789', '+12345', '+15551230000', '+18015550100', '+448005550100', '18005550100', '+1800555010', ''])
    assert.equal(senderClassOf(s), 'long-code', s);
});

test('rateOf: a per-sender override wins over the class rate', () => {
  const limiter = limiterOn(workerA, { '+15550000001': 0.5 });
  assert.equal(limiter.rateOf('+15550000001'), 0.5);
  assert.equal(limiter.rateOf('+15550000002'), 1);
  assert.equal(limiter.rateOf('+18885550100'), 3);
  assert.equal(limiter.rateOf('898211'), 100);
});

test('two workers on separate connections sending on one 20 segments/s sender get one slot each, 50 ms apart, 20/s over 3 s', async (t) => {
  const sender = '+15550000010';
  const sends: number[] = [];
  const deadline = Date.now() + 3000;
  const work = async (limiter: SenderRateLimiter) => {
    while (Date.now() < deadline) {
      const r = await limiter.reserve(sender, 1);
      if (!r.ok) {
        await sleepUntil(r.retryAtMs);
        continue;
      }
      await sleep(r.waitMs);
      sends.push(r.sendAtMs);
    }
  };
  await Promise.all([work(limiterOn(workerA, { [sender]: 20 })), work(limiterOn(workerB, { [sender]: 20 }))]);
  const sorted = [...sends].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((t, i) => t - sorted[i]!);
  const rate = ((sorted.length - 1) * 1000) / (sorted.at(-1)! - sorted[0]!);
  t.diagnostic(`achieved ${rate.toFixed(3)} segments/s over ${sorted.length} sends; gaps ${Math.min(...gaps)}..${Math.max(...gaps)} ms`);
  assert.ok(sorted.length >= 55, `only ${sorted.length} sends in 3 s`);
  assert.ok(Math.min(...gaps) >= 49, `two sends closer than one slot: ${gaps.join(',')}`);
  assert.ok(Math.abs(rate - 20) <= 0.4, `achieved ${rate}/s, not within 2% of 20/s`);
});

test('40 reservations at once from two connections get 40 different slots, exactly T apart', async () => {
  const sender = '+15550000015';
  const limiters = [limiterOn(workerA, { [sender]: 100 }), limiterOn(workerB, { [sender]: 100 })]; // T = 10 ms
  const all = await Promise.all(Array.from({ length: 40 }, (_, i) => limiters[i % 2]!.reserve(sender, 1)));
  const sorted = all.map((r) => granted(r).sendAtMs).sort((a, b) => a - b);
  assert.deepEqual(
    sorted.map((at) => at - sorted[0]!),
    Array.from({ length: 40 }, (_, i) => i * 10),
  );
});

test('a 3-segment reservation takes 3 slots: the next send is 3T later', async () => {
  const limiter = limiterOn(workerA, { '+15550000020': 10 });
  const first = granted(await limiter.reserve('+15550000020', 3));
  assert.equal(first.waitMs, 0);
  assert.equal(granted(await limiter.reserve('+15550000020', 1)).sendAtMs, first.sendAtMs + 300);
  assert.equal(granted(await limiter.reserve('+15550000020', 1)).sendAtMs, first.sendAtMs + 400);
});

test('a saturated sender does not slow another: B reserves at once while A is refused until far ahead', async () => {
  const limiter = limiterOn(workerA); // long codes: 1 segment/s, default maxWaitMs 1000
  const results = await Promise.all([
    ...Array.from({ length: 6 }, () => limiter.reserve('+15550000031', 1)),
    limiterOn(workerB).reserve('+15550000032', 1),
  ]);
  const b = granted(results.pop()!);
  assert.equal(b.waitMs, 0);
  assert.equal(results.filter((r) => r.ok).length, 2, 'A: a slot now and one in 1 s, within maxWaitMs');
  for (const r of results.filter((r) => !r.ok)) assert.ok(r.retryAtMs - Date.now() > 900, `A's retry is not far ahead: ${JSON.stringify(r)}`);
});

test('a reservation that would wait beyond maxWaitMs takes nothing and names the earliest time it would succeed', async () => {
  const sender = '+15550000040';
  const limiter = limiterOn(workerA, { [sender]: 5 }, 400); // T = 200 ms
  const first = granted(await limiter.reserve(sender, 1));
  granted(await limiter.reserve(sender, 1));
  granted(await limiter.reserve(sender, 1)); // its wait is 400 ms: exactly maxWaitMs is allowed
  const { retryAtMs } = refused(await limiter.reserve(sender, 1));
  assert.equal(retryAtMs, first.sendAtMs + 200, 'the next slot (600 ms on) minus maxWaitMs');
  await sleepUntil(retryAtMs - 80);
  assert.equal(refused(await limiter.reserve(sender, 1)).retryAtMs, retryAtMs, 'a refusal took nothing, and it is too early yet');
  await sleepUntil(retryAtMs + 5);
  const later = granted(await limiter.reserve(sender, 1));
  assert.equal(later.sendAtMs, first.sendAtMs + 600);
  assert.ok(later.waitMs <= 400, `waits ${later.waitMs} ms`);
});

test('an idle sender grants a text longer than the whole allowance, which then holds the sender for its full length', async () => {
  const sender = '+15550000050';
  const limiter = limiterOn(workerA); // 1 segment/s, maxWaitMs 1000
  const big = granted(await limiter.reserve(sender, 10));
  assert.equal(big.waitMs, 0);
  const pttl = await workerA.pttl(`${testRedis.prefix}:sender-rate:${sender}`);
  assert.ok(pttl >= big.sendAtMs + 10_000 - Date.now(), `the schedule expires before it ends: ${pttl} ms`);
  assert.equal(refused(await limiter.reserve(sender, 1)).retryAtMs, big.sendAtMs + 9000);
  // Not idle but within maxWaitMs, an oversize text is granted too.
  const other = '+15550000051';
  const one = granted(await limiter.reserve(other, 1));
  assert.equal(granted(await limiter.reserve(other, 10)).sendAtMs, one.sendAtMs + 1000);
});

test('a segment count that is not a whole number >= 1 is a programming error and touches nothing', async () => {
  const limiter = limiterOn(workerA);
  for (const segments of [0, -1, 1.5, Number.NaN]) await assert.rejects(limiter.reserve('+15550000060', segments), RangeError);
  assert.equal(await workerA.exists(`${testRedis.prefix}:sender-rate:+15550000060`), 0);
  assert.throws(() => createSenderRateLimiter(workerA, { prefix: testRedis.prefix, rates: DEFAULT_SENDER_RATES, maxWaitMs: -1 }), RangeError);
});

test('reserveFor: each text takes its own slot once, however far ahead; asking again answers the same slot', async () => {
  const sender = '+15550000077';
  const a = limiterOn(workerA, { [sender]: 10 });
  const b = limiterOn(workerB, { [sender]: 10 });
  // 30 texts queued at once from two workers: 30 distinct slots 100 ms apart, up to 2.9 s ahead.
  const slots = await Promise.all(Array.from({ length: 30 }, (_, k) => (k % 2 ? a : b).reserveFor(sender, 1, `job-${k}`)));
  const times = slots.map((s) => s.sendAtMs).sort((x, y) => x - y);
  for (let k = 1; k < times.length; k++) assert.ok(times[k]! - times[k - 1]! >= 99 && times[k]! - times[k - 1]! <= 101, `slot ${k} is ${times[k]! - times[k - 1]!} ms after the one before`);
  assert.ok(times.at(-1)! - times[0]! >= 2_890, 'the last slot is almost 3 s out: far beyond a one-second wait');
  // A job woken at its slot asks again: the same slot, nothing more taken.
  const again = await a.reserveFor(sender, 1, 'job-29');
  assert.equal(again.sendAtMs, slots[29]!.sendAtMs);
  const next = await a.reserveFor(sender, 1, 'job-new');
  assert.ok(next.sendAtMs - times.at(-1)! >= 99, 'a new text still queues after all thirty');
  // Three segments take three slots.
  const long = await a.reserveFor(sender, 3, 'job-long');
  const after = await a.reserveFor(sender, 1, 'job-after');
  assert.ok(after.sendAtMs - long.sendAtMs >= 299);
});

test('reserveFor: a job that comes more than a second after its slot takes a new one at the end of the line, not a burst', async () => {
  const sender = '+15550000078';
  const limiter = limiterOn(workerA, { [sender]: 1 });
  const first = await limiter.reserveFor(sender, 1, 'late-job');
  const queued = await limiter.reserveFor(sender, 1, 'queued-job');
  // The late job's slot passed 1.3 s ago; another text meanwhile took the next slot.
  await workerA.set(`${testRedis.prefix}:sender-rate:${sender}:slot:late-job`, String(Date.now() - 1_300));
  const again = await limiter.reserveFor(sender, 1, 'late-job');
  assert.ok(again.sendAtMs >= queued.sendAtMs + 999, 'it goes after the text that kept its place');
  assert.notEqual(again.sendAtMs, first.sendAtMs);
});
