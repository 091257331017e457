import type { Redis } from 'ioredis';
import type { SenderRates } from './sender-rates-config.js';

export type SenderClass = 'long-code' | 'toll-free' | 'short-code';

const SHORT_CODE = /^\d{3,8}$/;
const TOLL_FREE = /^\+1(?:800|833|844|855|866|877|888)\d{7}$/;

/**
 * The carrier class of a sending number: a short code is 3 to 8 digits with
 * no `+`; a toll-free number is an E.164 NANP number (+1 and ten digits) in
 * area code 800, 833, 844, 855, 866, 877 or 888; anything else is a long code. Pure.
 */
export const senderClassOf = (sender: string): SenderClass =>
  SHORT_CODE.test(sender) ? 'short-code' : TOLL_FREE.test(sender) ? 'toll-free' : 'long-code';

/**
 * `ok`: sleep `waitMs`, then send at `sendAtMs` (epoch ms, Redis's clock);
 * the slots are taken. Not `ok`: nothing was taken; retry at `retryAtMs`.
 */
export type Reservation = { ok: true; sendAtMs: number; waitMs: number } | { ok: false; retryAtMs: number };

export type SenderRateLimiter = {
  /** Takes `segments` consecutive send slots on `sender` (see createSenderRateLimiter). */
  reserve(sender: string, segments: number): Promise<Reservation>;
  /**
   * The slots of one text, `holder` naming it (its outbox job): taken however far ahead the
   * sender's schedule runs, once; asking again for the same holder answers the same slot without
   * taking another. A job then waits in the queue until its own slot instead of asking every second.
   */
  reserveFor(sender: string, segments: number, holder: string): Promise<{ sendAtMs: number; waitMs: number }>;
  /** Segments per second for `sender`: its own override, else its class's rate. */
  rateOf(sender: string): number;
};

/**
 * GCRA (virtual scheduling) without burst. KEYS[1] holds the sender's
 * theoretical arrival time (TAT, epoch ms, fractional): when its next segment
 * may go. ARGV: emission interval T (ms per segment), segments, maxWaitMs.
 * Returns {1, sendAtMs, waitMs} after moving the TAT on by segments * T, or
 * {0, retryAtMs} leaving it untouched.
 */
const RESERVE_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval, segments, maxWait = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local start = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now)
if start - now > maxWait then
  return {0, math.ceil(start - maxWait)}
end
local tat = start + segments * interval
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
return {1, math.ceil(start), math.ceil(start - now)}
`;
// why (script): TIME gives every worker one clock, and Redis 7 replicates the script's
// effects, not the script, so reading it is allowed. The TAT is stored with '%.3f'
// because Lua's tostring keeps only 14 digits, too few for fractional epoch ms.
// Results are ceiled integers (Redis truncates Lua numbers): a send is never early.
// An absent or expired key reads as an idle sender, so the expiry only has to come
// after the TAT; the extra second is slack for rounding.

/**
 * The same schedule, for one holder: KEYS[2] remembers the slot it took (epoch ms), kept an hour
 * past it. ARGV: emission interval T, segments, staleMs. A slot more than staleMs in the past (the
 * job ran late: workers busy, Redis restarted) is given up for a new one at the end of the line:
 * late texts must not all go at once and break the sender's rate. Returns {sendAtMs, waitMs}.
 */
const RESERVE_FOR_LUA = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local interval, segments, stale = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local held = tonumber(redis.call('GET', KEYS[2]))
if held and held >= now - stale then
  return {math.ceil(held), math.max(0, math.ceil(held - now))}
end
local start = math.max(tonumber(redis.call('GET', KEYS[1])) or now, now)
local tat = start + segments * interval
redis.call('SET', KEYS[1], string.format('%.3f', tat), 'PX', math.ceil(tat - now) + 1000)
redis.call('SET', KEYS[2], string.format('%.3f', start), 'PX', math.ceil(start - now) + 3600000)
return {math.ceil(start), math.ceil(start - now)}
`;

/** How late a job may come to its slot and still use it (see RESERVE_FOR_LUA). */
const STALE_SLOT_MS = 1_000;

const COMMAND = 'senderRateReserve';
const COMMAND_FOR = 'senderRateReserveFor';
type WithReserve = Redis & {
  [COMMAND](key: string, intervalMs: number, segments: number, maxWaitMs: number): Promise<[0 | 1, number, number?]>;
  [COMMAND_FOR](key: string, holderKey: string, intervalMs: number, segments: number, staleMs: number): Promise<[number, number]>;
};

/**
 * A per-sender rate limiter shared by every worker on `redis`. `reserve`
 * atomically takes the next `segments` slots (one per 1000 / rate ms) of the
 * sender's schedule and tells when to send, so the senders' sends come out
 * spaced at their rate however many workers share them; each sender has its
 * own key (`${prefix}:sender-rate:${sender}`), so one sender's queue never
 * delays another's. A reservation that would wait more than `maxWaitMs`
 * (default 1000) takes nothing and answers `retryAtMs`: the earliest time the
 * same request could be granted (when the wait has shrunk to `maxWaitMs`),
 * if nobody reserves in between. An idle sender always grants, whatever the
 * segments: a text longer than the whole allowance must still go out (it then
 * delays the sender's later sends by its full length). `segments` must be a
 * whole number >= 1; anything else throws (rejects), a programming error.
 * Defines the `senderRateReserve` and `senderRateReserveFor` commands on `redis`.
 */
export const createSenderRateLimiter = (
  redis: Redis,
  opts: { prefix: string; rates: SenderRates; maxWaitMs?: number },
): SenderRateLimiter => {
  const maxWaitMs = opts.maxWaitMs ?? 1000;
  if (!Number.isFinite(maxWaitMs) || maxWaitMs < 0) throw new RangeError(`maxWaitMs must be a finite number >= 0 (got ${maxWaitMs})`);
  redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: RESERVE_LUA });
  redis.defineCommand(COMMAND_FOR, { numberOfKeys: 2, lua: RESERVE_FOR_LUA });
  const client = redis as WithReserve;
  const rateOf = (sender: string): number => opts.rates.perSender[sender] ?? opts.rates.segmentsPerSecond[senderClassOf(sender)];

  const checkSegments = (segments: number) => {
    if (!Number.isInteger(segments) || segments < 1) throw new RangeError(`segments must be a whole number >= 1 (got ${segments})`);
  };
  const reserve = async (sender: string, segments: number): Promise<Reservation> => {
    checkSegments(segments);
    const [ok, at, waitMs] = await client[COMMAND](`${opts.prefix}:sender-rate:${sender}`, 1000 / rateOf(sender), segments, maxWaitMs);
    return ok === 1 ? { ok: true, sendAtMs: at, waitMs: waitMs ?? 0 } : { ok: false, retryAtMs: at };
  };
  const reserveFor = async (sender: string, segments: number, holder: string) => {
    checkSegments(segments);
    const key = `${opts.prefix}:sender-rate:${sender}`;
    const [sendAtMs, waitMs] = await client[COMMAND_FOR](key, `${key}:slot:${holder}`, 1000 / rateOf(sender), segments, STALE_SLOT_MS);
    return { sendAtMs, waitMs };
  };
  return { reserve, reserveFor, rateOf };
};
