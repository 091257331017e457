import type { Db } from '../db/pool.js';
import { recordAccess } from '../evidence/access-log.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { Clock } from '../shared/clock.js';
import type { ConsoleUser } from './console-role.js';

/** A sign-out, as evidence beside the sign-in it ends. */
export const recordSignOut = (db: Db, clock: Clock, user: ConsoleUser, ip: string) =>
  recordAccess(db, clock, {
    type: EvidenceType.CONSOLE_SIGN_OUT, actor: { kind: 'console-user', id: user.id, name: user.username, role: user.role },
    action: 'sign-out', details: { ip },
  });
