import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/pool.js';
import { listSpecialists } from '../retention/list-specialists.js';
import type { Clock } from '../shared/clock.js';
import type { ConsoleRole } from './console-role.js';
import { countConsoleUsers, createConsoleUser } from './console-users.js';

/** The demo's console users: one per role, the specialists' bound to the demo specialists by name. */
const DEMO_USERS: { username: string; displayName: string; role: ConsoleRole; specialistName?: string }[] = [
  { username: 'admin', displayName: 'Demo Admin', role: 'admin' },
  { username: 'grace', displayName: 'Grace Holt', role: 'specialist', specialistName: 'Grace Holt' },
  { username: 'ana', displayName: 'Ana Ruiz', role: 'specialist', specialistName: 'Ana Ruiz' },
  { username: 'compliance', displayName: 'Casey Compliance', role: 'compliance' },
  { username: 'operator', displayName: 'Omar Operator', role: 'operator' },
];

/**
 * When no console user exists yet: the demo's users, each with a generated password, written to
 * `file` (0600, in the data folder's secrets) so whoever runs the demo can sign in. Returns the file, or
 * null when users existed already (nothing is written then).
 */
export const seedDemoConsoleUsers = async (db: Db, clock: Clock, file: string): Promise<string | null> => {
  if ((await countConsoleUsers(db)) > 0) return null;
  const specialists = await listSpecialists(db, { activeOnly: true });
  const lines: string[] = ['# Demo console users (npm start): sign in at /console. Generated once; delete this file when done.'];
  for (const u of DEMO_USERS) {
    const specialistId = u.specialistName ? specialists.find((s) => s.name === u.specialistName)?.id : null;
    if (u.specialistName && !specialistId) continue;
    const password = randomBytes(12).toString('base64url');
    await createConsoleUser(db, clock, { username: u.username, displayName: u.displayName, role: u.role, password, specialistId: specialistId ?? null });
    lines.push(`${u.username}\t${u.role}\t${password}`);
  }
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return file;
};
