import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// why scrypt: memory-hard (N·r·128 bytes per guess: 32 MiB here) and built into Node, so no native
// addon to build; OWASP lists it beside argon2id. The parameters travel in the stored string, so
// raising them later leaves old hashes readable.
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;

const derive = (password: string, salt: Buffer, o: { N: number; r: number; p: number }) =>
  new Promise<Buffer>((resolve, reject) => {
    const options: ScryptOptions = { ...o, maxmem: 128 * o.N * o.r * 2 };
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });

/** `scrypt$N$r$p$salt$key` (salt and key base64url): what console_users.password_hash holds. */
export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(16);
  const key = await derive(password, salt, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
};

/** A hash of a password nobody has: compared against when the username is unknown, so both answers take as long. */
let decoy: Promise<string> | null = null;
export const decoyHash = () => (decoy ??= hashPassword(randomBytes(18).toString('base64url')));

/** Whether `password` is the one `stored` was made from (constant-time on the derived key). */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const got = await derive(password, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) });
  return got.length === expected.length && timingSafeEqual(got, expected);
};

/** What a new password must be: long enough to resist guessing at this cost, short enough to hash quickly. */
export const passwordProblem = (password: string): string | null =>
  password.length < 12 ? 'a password needs at least 12 characters'
    : password.length > 256 ? 'a password may have at most 256 characters' : null;
