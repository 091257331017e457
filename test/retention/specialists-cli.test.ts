import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { createFileAnchor } from '../../src/evidence/anchor.js';
import { authenticate } from '../../src/evidence/api-tokens.js';
import { runEvidenceCli } from '../../src/evidence/evidence-cli.js';
import { listSpecialists } from '../../src/retention/list-specialists.js';
import { runSpecialistsCli } from '../../src/retention/specialists-cli.js';
import { systemClock } from '../../src/shared/clock.js';
import { testSigner } from '../evidence/support.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
let dir: string;
before(async () => {
  t = await createTestDb();
  dir = await mkdtemp(path.join(tmpdir(), 'gw-specialists-cli-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await t.drop();
});

const capture = () => {
  const stream = new PassThrough();
  const out = { stream, text: '' };
  stream.on('data', (d) => (out.text += d));
  return out;
};
const specialists = async (...argv: string[]) => {
  const [o, e] = [capture(), capture()];
  const code = await runSpecialistsCli(argv, { db: t.db, clock: systemClock, stdout: o.stream, stderr: e.stream, zone: 'America/New_York' });
  return { code, out: o.text, err: e.text };
};
const evidence = async (...argv: string[]) => {
  const [o, e] = [capture(), capture()];
  const anchor = createFileAnchor(path.join(dir, 'anchors.jsonl'), systemClock);
  const code = await runEvidenceCli(argv, { db: t.db, clock: systemClock, signer: testSigner(), anchor, stdout: o.stream, stderr: e.stream, zone: 'America/New_York' });
  return { code, out: o.text, err: e.text };
};

test('add: a specialist with languages, hours in their zone, away unless --available; list shows the team', async () => {
  const r = await specialists('add', '--name', 'Ana Ruiz', '--phone', '+15550100002', '--languages', 'es-US,en-US', '--hours', 'mon-fri 09:00-17:00', '--zone', 'America/Chicago');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Added [0-9a-f-]{36} {2}Ana Ruiz {2}\+15550100002 {2}es-US,en-US {2}America\/Chicago {2}mon-fri 09:00-17:00 {2}away\n/);
  assert.match(r.out, /npm run evidence -- token --name "Ana Ruiz" --role specialist --specialist [0-9a-f-]{36}/);
  assert.equal((await specialists('add', '--name', 'Bob Lee', '--phone', '+15550100001', '--languages', 'en-US', '--available')).code, 0);
  const l = await specialists('list');
  assert.equal(l.code, 0);
  assert.deepEqual(l.out.trim().split('\n').map((s) => s.split('  ').slice(1)), [
    ['Ana Ruiz', '+15550100002', 'es-US,en-US', 'America/Chicago', 'mon-fri 09:00-17:00', 'away'],
    ['Bob Lee', '+15550100001', 'en-US', 'America/New_York', 'business hours', 'available'],
  ]);
});

test('add: bad arguments exit 64 naming the option and why, and add nothing', async () => {
  const cases: [string[], RegExp][] = [
    [['add', '--name', 'X'], /add needs --phone, --languages/],
    [['add', '--name', 'X', '--phone', '5550100', '--languages', 'en-US'], /--phone: phone must be an E\.164 number/],
    [['add', '--name', 'X', '--phone', '+15550100003', '--languages', 'en-US,fr-FR'], /--languages: a language must be one of en-US, es-US/],
    [['add', '--name', 'X', '--phone', '+15550100003', '--languages', 'en-US', '--zone', 'Central'], /--zone: timeZone must be an IANA time zone/],
    [['add', '--name', 'X', '--phone', '+15550100003', '--languages', 'en-US', '--hours', 'fri-mon 09:00-17:00'], /--hours fri-mon 09:00-17:00: "fri-mon": days run backwards/],
    [['add', '--name', 'X', '--phone', '+15550100003', '--languages', 'en-US', '--colour', 'red'], /Unknown option '--colour'/],
    [['remove'], /unknown command remove/],
    [[], /no command/],
  ];
  for (const [argv, reason] of cases) {
    const r = await specialists(...argv);
    assert.equal(r.code, 64, argv.join(' '));
    assert.match(r.err, reason);
    assert.match(r.err, /Usage: npm run specialists/);
  }
  assert.equal((await listSpecialists(t.db)).length, 2);
});

test('evidence token --specialist binds a specialist token to a specialist; refuses other roles, bad and unknown ids', async () => {
  const ana = (await listSpecialists(t.db)).find((s) => s.name === 'Ana Ruiz')!;
  const r = await evidence('token', '--name', 'ana', '--role', 'specialist', '--specialist', ana.id);
  assert.equal(r.code, 0, r.err);
  const token = /gwk_\S+/.exec(r.out)![0];
  const p = await authenticate(t.db, `Bearer ${token}`);
  assert.ok(typeof p === 'object');
  assert.deepEqual([p.role, p.specialistId], ['specialist', ana.id]);
  assert.match((await evidence('token', '--name', 'x', '--role', 'operator', '--specialist', ana.id)).err, /role operator speaks for no specialist/);
  assert.match((await evidence('token', '--name', 'x', '--role', 'specialist', '--specialist', 'ana')).err, /a specialist id is a UUID/);
  const unknown = await evidence('token', '--name', 'x', '--role', 'specialist', '--specialist', '00000000-0000-7000-8000-000000000000');
  assert.deepEqual([unknown.code, /no specialist with this id/.test(unknown.err)], [64, true]);
});
