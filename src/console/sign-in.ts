import type { Db } from '../db/pool.js';
import { recordAccess } from '../evidence/access-log.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { Clock } from '../shared/clock.js';
import type { ConsoleUser } from './console-role.js';
import { openSession } from './console-sessions.js';
import { findSignInRecord, recordFailedSignIn, recordSuccessfulSignIn } from './console-users.js';
import { decoyHash, verifyPassword } from './password-hash.js';

export type SignInAttempt = { username: string; password: string; ip: string; userAgent: string };
export type SignInResult =
  | { ok: true; user: ConsoleUser; cookieValue: string; csrfToken: string; expiresAt: Date }
  | { ok: false; reason: 'wrong' }
  | { ok: false; reason: 'locked'; until: Date };

/**
 * Checks a username and password. A wrong password counts towards the lockout; a locked account is
 * refused whatever the password. Every attempt, good or bad, is evidence on the gateway's audit
 * chain: who (or which username was tried), from where, and the outcome.
 */
export const signIn = async (db: Db, clock: Clock, a: SignInAttempt): Promise<SignInResult> => {
  const user = await findSignInRecord(db, a.username);
  const from = { ip: a.ip, userAgent: a.userAgent.slice(0, 200) };
  const refuse = async (why: string, actor = user) => {
    await recordAccess(db, clock, {
      type: EvidenceType.CONSOLE_SIGN_IN_REFUSED,
      actor: { kind: 'console-user', id: actor?.id ?? 'unknown', name: actor?.username ?? a.username.slice(0, 64), role: actor?.role ?? 'none' },
      action: 'sign-in', details: { why, ...from },
    });
  };
  // Always derive a key, so an unknown username takes as long as a known one.
  const matches = await verifyPassword(a.password, user?.passwordHash ?? await decoyHash());
  if (!user || user.disabled) {
    await refuse(user ? 'account disabled' : 'unknown username', null);
    return { ok: false, reason: 'wrong' };
  }
  const now = clock.now();
  if (user.lockedUntil && user.lockedUntil > now) {
    await refuse('account locked');
    return { ok: false, reason: 'locked', until: user.lockedUntil };
  }
  if (!matches) {
    const lockedUntil = await recordFailedSignIn(db, clock, user.id);
    await refuse('wrong password');
    if (lockedUntil) {
      await recordAccess(db, clock, {
        type: EvidenceType.CONSOLE_ACCOUNT_LOCKED, actor: { kind: 'console-user', id: user.id, name: user.username, role: user.role },
        action: 'lockout', details: { until: lockedUntil.toISOString(), ...from },
      });
      return { ok: false, reason: 'locked', until: lockedUntil };
    }
    return { ok: false, reason: 'wrong' };
  }
  await recordSuccessfulSignIn(db, user.id);
  const session = await openSession(db, clock, user.id);
  await recordAccess(db, clock, {
    type: EvidenceType.CONSOLE_SIGN_IN, actor: { kind: 'console-user', id: user.id, name: user.username, role: user.role },
    action: 'sign-in', details: from,
  });
  const { id, username, displayName, role, specialistId } = user;
  return { ok: true, user: { id, username, displayName, role, specialistId }, ...session };
};
