import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { after, before, test } from 'node:test';
import { runUsersCli } from '../../src/console/users-cli.js';
import { signIn } from '../../src/console/sign-in.js';
import { createSpecialist } from '../../src/retention/create-specialist.js';
import { systemClock } from '../../src/shared/clock.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

const users = async (argv: string[], stdin = '') => {
  const out = { text: '' };
  const err = { text: '' };
  const [o, e] = [new PassThrough(), new PassThrough()];
  o.on('data', (d) => (out.text += d));
  e.on('data', (d) => (err.text += d));
  const code = await runUsersCli(argv, { db: t.db, clock: systemClock, stdin: Readable.from([stdin]), stdout: o, stderr: e });
  return { code, out: out.text, err: err.text };
};
const attempt = (username: string, password: string) => signIn(t.db, systemClock, { username, password, ip: '127.0.0.1', userAgent: 'test' });

test('add the first admin: a generated password, printed once, signs in; the hash is not the password', async () => {
  const r = await users(['add', '--username', 'root-admin', '--role', 'admin', '--name', 'First Admin']);
  assert.equal(r.code, 0, r.err);
  const password = /password: (\S+)/.exec(r.out)![1]!;
  assert.ok(password.length >= 16);
  assert.equal((await attempt('root-admin', password)).ok, true);
  const { rows } = await t.db.query<{ password_hash: string }>("select password_hash from console_users where username = 'root-admin'");
  assert.match(rows[0]!.password_hash, /^scrypt\$32768\$8\$1\$/);
  assert.ok(!rows[0]!.password_hash.includes(password));
});

test('a password from stdin; a specialist account must name its specialist', async () => {
  const sp = await createSpecialist(t.db, systemClock, { name: 'Lee Park', phone: '+15550100077', languages: ['en-US'] }, 'America/New_York');
  const missing = await users(['add', '--username', 'lee', '--role', 'specialist', '--password-stdin'], 'a long enough password\n');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /must name the retention specialist/);
  const ok = await users(['add', '--username', 'lee', '--role', 'specialist', '--specialist', sp.id, '--password-stdin'], 'a long enough password\n');
  assert.equal(ok.code, 0, ok.err);
  assert.doesNotMatch(ok.out, /password:/);
  const s = await attempt('LEE', 'a long enough password');
  assert.ok(s.ok && s.user.specialistId === sp.id);
});

test('bad command lines get the reason and the usage (64); refusals say why (1)', async () => {
  assert.equal((await users(['add', '--username', 'x1', '--role', 'boss'])).code, 64);
  const short = await users(['add', '--username', 'shorty', '--role', 'operator', '--password-stdin'], 'short\n');
  assert.equal(short.code, 64);
  assert.match(short.err, /at least 12 characters/);
  const taken = await users(['add', '--username', 'ROOT-ADMIN', '--role', 'operator']);
  assert.equal(taken.code, 1);
  assert.match(taken.err, /the username ROOT-ADMIN is taken/);
  assert.equal((await users(['unlock'])).code, 64);
  assert.equal((await users(['unlock', 'ghost'])).code, 1);
  assert.match((await users([])).err, /Usage: npm run users/);
});

test('list shows every user and its state; disable stops sign-in', async () => {
  assert.equal((await users(['disable', 'lee'])).code, 0);
  const l = await users(['list']);
  assert.match(l.out, /lee {2}lee {2}specialist {2}disabled/);
  assert.match(l.out, /root-admin {2}First Admin {2}admin {2}active/);
  assert.deepEqual(await attempt('lee', 'a long enough password'), { ok: false, reason: 'wrong' });
});
