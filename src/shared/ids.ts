import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
// why: a turn makes several ids; one 4 KiB fill replaces a getRandomValues call per id (uuid's rng).
const pool = Buffer.allocUnsafe(4096);
let poolAt = pool.length;

const randomBytes = (n: number): number => {
  if (poolAt + n > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += n;
  return at;
};

let lastMs = -Infinity;
/** 31-bit counter spread over rand_a and the top of rand_b (RFC 9562 §6.2, method 1), reseeded each millisecond. */
let counter = 0;

/**
 * Time-ordered ids (UUIDv7, RFC 9562) for every row we create: index-friendly
 * and sortable. Within one millisecond a counter seeded at random keeps them
 * strictly increasing in this process; when it runs out the clock part is
 * advanced by one millisecond, as the RFC allows.
 */
export const newId = (): string => {
  let ms = Date.now();
  if (ms > lastMs) {
    const at = randomBytes(4);
    counter = pool.readUInt32BE(at) >>> 1;
    lastMs = ms;
  } else {
    counter = (counter + 1) >>> 0;
    if (counter > 0x7fffffff) {
      lastMs += 1;
      counter = 0;
    }
    ms = lastMs;
  }
  const r = randomBytes(6);
  const hi = Math.floor(ms / 0x10000);
  const lo = ms % 0x10000;
  return (
    HEX[(hi >>> 24) & 0xff]! + HEX[(hi >>> 16) & 0xff]! + HEX[(hi >>> 8) & 0xff]! + HEX[hi & 0xff]! +
    '-' + HEX[(lo >>> 8) & 0xff]! + HEX[lo & 0xff]! +
    '-' + HEX[0x70 | ((counter >>> 27) & 0x0f)]! + HEX[(counter >>> 19) & 0xff]! +
    '-' + HEX[0x80 | ((counter >>> 13) & 0x3f)]! + HEX[(counter >>> 5) & 0xff]! +
    '-' + HEX[((counter & 0x1f) << 3) | (pool[r]! & 0x07)]! + HEX[pool[r + 1]!]! + HEX[pool[r + 2]!]! + HEX[pool[r + 3]!]! +
    HEX[pool[r + 4]!]! + HEX[pool[r + 5]!]!
  );
};
