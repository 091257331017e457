import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { CONSOLE_ROLES, isConsoleRole } from './console-role.js';
import { ConsoleUserError, createConsoleUser, disableConsoleUser, listConsoleUsers, unlockConsoleUser } from './console-users.js';
import { passwordProblem } from './password-hash.js';

export type UsersCliDeps = {
  db: Db;
  clock: Clock;
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
};

const USAGE = `Usage: npm run users -- <command>
  add --username NAME --role ${CONSOLE_ROLES.join('|')} [--name "Display Name"] [--specialist ID] [--password-stdin]
      add a console user; without --password-stdin a strong password is generated and printed once
      (a specialist account names its retention specialist: npm run specialists -- list)
  list                  every console user: username, name, role, status
  unlock USERNAME       lift a lockout after repeated wrong passwords
  disable USERNAME      stop an account signing in (its open sessions end at their next request)`;

const readFirstLine = async (stream: NodeJS.ReadableStream): Promise<string> => {
  let text = '';
  for await (const chunk of stream) {
    text += chunk.toString();
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
};

/** `npm run users -- ...`: the process exit code (64: a bad command line, with the reason and the usage; 1: refused). */
export const runUsersCli = async (argv: string[], deps: UsersCliDeps): Promise<number> => {
  const usage = (s: string) => {
    deps.stderr.write(`${s}\n${USAGE}\n`);
    return 64;
  };
  const [command, ...rest] = argv;
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: rest, allowPositionals: true, strict: true,
      options: { username: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' }, specialist: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    });
  } catch (e) {
    return usage((e as Error).message);
  }
  const { values, positionals } = parsed;
  const str = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : undefined);
  switch (command) {
    case 'add': {
      const username = str('username');
      const role = str('role');
      if (!username) return usage('add: --username is required');
      if (!role || !isConsoleRole(role)) return usage(`add: --role must be one of ${CONSOLE_ROLES.join(', ')}`);
      const generated = !values['password-stdin'];
      const password = generated ? randomBytes(15).toString('base64url') : await readFirstLine(deps.stdin);
      const problem = passwordProblem(password);
      if (problem) return usage(`add: ${problem}`);
      try {
        const u = await createConsoleUser(deps.db, deps.clock, { username, role, displayName: str('name'), specialistId: str('specialist') ?? null, password });
        deps.stdout.write(`added ${u.username} (${u.role})${generated ? `\npassword: ${password}\n(shown once: keep it safe; sign in at /console/sign-in)` : ''}\n`);
        return 0;
      } catch (e) {
        if (!(e instanceof ConsoleUserError)) throw e;
        deps.stderr.write(`add: ${e.message}\n`);
        return 1;
      }
    }
    case 'list': {
      const now = deps.clock.now();
      for (const u of await listConsoleUsers(deps.db)) {
        const status = u.disabled ? 'disabled' : u.lockedUntil && u.lockedUntil > now ? `locked until ${u.lockedUntil.toISOString()}` : 'active';
        deps.stdout.write(`${u.username}  ${u.displayName}  ${u.role}  ${status}\n`);
      }
      return 0;
    }
    case 'unlock':
    case 'disable': {
      const username = positionals[0];
      if (!username) return usage(`${command}: name the user (USERNAME)`);
      const done = command === 'unlock' ? await unlockConsoleUser(deps.db, username) : await disableConsoleUser(deps.db, deps.clock, username);
      if (!done) {
        deps.stderr.write(`${command}: no ${command === 'disable' ? 'active ' : ''}user ${username}\n`);
        return 1;
      }
      deps.stdout.write(`${command === 'unlock' ? 'unlocked' : 'disabled'} ${username}\n`);
      return 0;
    }
    default:
      return usage(command ? `unknown command ${command}` : 'name a command');
  }
};
