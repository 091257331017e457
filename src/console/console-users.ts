import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { newId } from '../shared/ids.js';
import type { ConsoleRole, ConsoleUser } from './console-role.js';
import { hashPassword } from './password-hash.js';

const USER_COLUMNS = 'id, username, display_name as "displayName", role, specialist_id as "specialistId"';

export type NewConsoleUser = { username: string; displayName?: string; role: ConsoleRole; password: string; specialistId?: string | null };

/** Why a user could not be created, in words for the admin (page or CLI). */
export class ConsoleUserError extends Error {}

/** Creates a console user; the password is kept as its scrypt hash only. */
export const createConsoleUser = async (db: Db, clock: Clock, u: NewConsoleUser): Promise<ConsoleUser> => {
  if (!/^[a-z0-9][a-z0-9._@-]{1,63}$/i.test(u.username)) {
    throw new ConsoleUserError('a username is 2-64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit');
  }
  if ((u.role === 'specialist') !== Boolean(u.specialistId)) {
    throw new ConsoleUserError(u.role === 'specialist'
      ? 'a specialist account must name the retention specialist it speaks for (--specialist ID; see: npm run specialists -- list)'
      : 'only a specialist account speaks for a retention specialist');
  }
  const id = newId();
  try {
    await db.query(
      `insert into console_users (id, username, display_name, role, specialist_id, password_hash, created_at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [id, u.username, u.displayName?.trim() || u.username, u.role, u.specialistId ?? null, await hashPassword(u.password), clock.now()],
    );
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '23505') throw new ConsoleUserError(`the username ${u.username} is taken`);
    if (code === '23503' || code === '22P02') throw new ConsoleUserError(`no retention specialist ${u.specialistId}`);
    throw err;
  }
  return { id, username: u.username, displayName: u.displayName?.trim() || u.username, role: u.role, specialistId: u.specialistId ?? null };
};

/** What sign-in needs about a username: the hash, the lock, whether the account is disabled. */
export type SignInRecord = ConsoleUser & { passwordHash: string; lockedUntil: Date | null; disabled: boolean };

export const findSignInRecord = async (db: Db, username: string): Promise<SignInRecord | null> => {
  const { rows } = await db.query<SignInRecord>(
    `select ${USER_COLUMNS}, password_hash as "passwordHash", locked_until as "lockedUntil", disabled_at is not null as disabled
       from console_users where lower(username) = lower($1)`,
    [username],
  );
  return rows[0] ?? null;
};

/** Consecutive wrong passwords that lock an account, and for how long. */
export const LOCKOUT = { failures: 5, minutes: 15 } as const;

/**
 * Counts a wrong password; the LOCKOUT.failures-th in a row locks the account for LOCKOUT.minutes (and
 * starts the count again). Returns the lock's end when this failure set one.
 */
export const recordFailedSignIn = async (db: Db, clock: Clock, userId: string): Promise<Date | null> => {
  const now = clock.now();
  const { rows } = await db.query<{ lockedUntil: Date | null; locked: boolean }>(
    `update console_users set
       failed_attempts = case when failed_attempts + 1 >= $2 then 0 else failed_attempts + 1 end,
       locked_until = case when failed_attempts + 1 >= $2 then $3::timestamptz + make_interval(mins => $4) else locked_until end
     where id = $1
     returning locked_until as "lockedUntil", locked_until > $3 as locked`,
    [userId, LOCKOUT.failures, now, LOCKOUT.minutes],
  );
  return rows[0]?.locked ? rows[0].lockedUntil : null;
};

export const recordSuccessfulSignIn = async (db: Db, userId: string): Promise<void> => {
  await db.query('update console_users set failed_attempts = 0, locked_until = null where id = $1', [userId]);
};

export type ConsoleUserRow = ConsoleUser & { createdAt: Date; lockedUntil: Date | null; disabled: boolean };

export const listConsoleUsers = async (db: Db): Promise<ConsoleUserRow[]> =>
  (await db.query<ConsoleUserRow>(
    `select ${USER_COLUMNS}, created_at as "createdAt", locked_until as "lockedUntil", disabled_at is not null as disabled
       from console_users order by lower(username)`,
  )).rows;

/** Lifts a lockout (an admin's decision); false when there is no such user. */
export const unlockConsoleUser = async (db: Db, username: string): Promise<boolean> =>
  ((await db.query('update console_users set failed_attempts = 0, locked_until = null where lower(username) = lower($1)', [username])).rowCount ?? 0) > 0;

/** Disables an account; its sessions end at their next request (the session lookup checks this). */
export const disableConsoleUser = async (db: Db, clock: Clock, username: string): Promise<boolean> =>
  ((await db.query('update console_users set disabled_at = $2 where lower(username) = lower($1) and disabled_at is null', [username, clock.now()])).rowCount ?? 0) > 0;

export const countConsoleUsers = async (db: Db): Promise<number> =>
  Number((await db.query<{ n: string }>('select count(*) as n from console_users')).rows[0]!.n);
