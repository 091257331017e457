import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import type { ConsoleUser } from './console-role.js';

/** A session ends after this long without a request, and in any case this long after sign-in. */
export const SESSION_LIMITS = { idleMinutes: 30, absoluteHours: 12 } as const;
/** last_seen_at is written at most this often (one write a minute, not one per request). */
const TOUCH_EVERY_MS = 60_000;

const hashOf = (value: string) => createHash('sha256').update(value).digest('hex');

export type ConsoleSession = { user: ConsoleUser; csrfToken: string; expiresAt: Date };

/** Opens a session: the cookie value (shown once, stored only as its hash) and the session's CSRF token. */
export const openSession = async (db: Db, clock: Clock, userId: string): Promise<{ cookieValue: string; csrfToken: string; expiresAt: Date }> => {
  const cookieValue = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(32).toString('base64url');
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_LIMITS.idleMinutes * 60_000);
  await db.query(
    'insert into console_sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) values ($1, $2, $3, $4, $4, $5)',
    [hashOf(cookieValue), userId, csrfToken, now, expiresAt],
  );
  return { cookieValue, csrfToken, expiresAt };
};

/**
 * The live session behind a cookie value, or null: unknown, signed out, expired (idle or absolute), or
 * its user disabled. A live session's idle deadline moves forward (written at most once a minute).
 */
export const findSession = async (db: Db, clock: Clock, cookieValue: string): Promise<ConsoleSession | null> => {
  const now = clock.now();
  const { rows } = await db.query<ConsoleUser & { csrfToken: string; expiresAt: Date; lastSeenAt: Date; createdAt: Date }>({
    // why named (a prepared statement per connection): every signed-in API request runs it; planning the join
    // each time cost a third of an API read's throughput (bench/consoles.bench.ts).
    name: 'console-find-session',
    text: `select u.id, u.username, u.display_name as "displayName", u.role, u.specialist_id as "specialistId",
            s.csrf_token as "csrfToken", s.expires_at as "expiresAt", s.last_seen_at as "lastSeenAt", s.created_at as "createdAt"
       from console_sessions s join console_users u on u.id = s.user_id
      where s.id_hash = $1 and s.ended_at is null and s.expires_at > $2 and u.disabled_at is null`,
    values: [hashOf(cookieValue), now],
  });
  const r = rows[0];
  if (!r) return null;
  let expiresAt = r.expiresAt;
  if (now.getTime() - r.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
    const hardEnd = r.createdAt.getTime() + SESSION_LIMITS.absoluteHours * 3_600_000;
    expiresAt = new Date(Math.min(hardEnd, now.getTime() + SESSION_LIMITS.idleMinutes * 60_000));
    await db.query('update console_sessions set last_seen_at = $2, expires_at = $3 where id_hash = $1', [hashOf(cookieValue), now, expiresAt]);
  }
  const { csrfToken, id, username, displayName, role, specialistId } = r;
  return { user: { id, username, displayName, role, specialistId }, csrfToken, expiresAt };
};

/** Ends a session (sign-out); a no-op for one already ended. */
export const endSession = async (db: Db, clock: Clock, cookieValue: string): Promise<void> => {
  await db.query('update console_sessions set ended_at = $2 where id_hash = $1 and ended_at is null', [hashOf(cookieValue), clock.now()]);
};
