import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { createFileAnchor } from '../../src/evidence/anchor.js';
import { appendEvidence } from '../../src/evidence/append-evidence.js';
import { runEvidenceCli } from '../../src/evidence/evidence-cli.js';
import { createManualClock, systemClock } from '../../src/shared/clock.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { seedPolicyholder } from '../support/seed.js';
import { dropWhenIdle, newInteraction, tamper, testSigner } from './support.js';

let t: TestDb;
let dir: string;
before(async () => {
  t = await createTestDb();
  dir = await mkdtemp(path.join(tmpdir(), 'gw-cli-'));
  const h = await seedPolicyholder(t.db, { firstName: 'Cli', phone: '+12025550188', policyNumber: 'CLI-1' });
  const call = await newInteraction(t.db, { policyId: h.policyId, policyholderId: h.policyholderId });
  await appendEvidence(t.db, systemClock, call, [{ type: 'ivr.prompt', payload: { said: ['Hi'] } }]);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await dropWhenIdle(t);
});

const cli = async (...argv: string[]) => {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let text = '';
  stdout.on('data', (d) => (text += d));
  stderr.on('data', (d) => (text += d));
  const anchor = createFileAnchor(path.join(dir, 'anchors.jsonl'), systemClock);
  const code = await runEvidenceCli(argv, { db: t.db, clock: systemClock, signer: testSigner(), anchor, stdout, stderr, zone: 'America/New_York' });
  return { code, text };
};

test('npm run evidence -- export writes a bundle the standalone verifier accepts; verify checks chains, log and anchors', async () => {
  const out = path.join(dir, 'bundle');
  const r = await cli('export', '--policy', 'CLI-1', '--from', '2020-01-01T00:00:00Z', '--to', '2100-01-01T00:00:00Z', '--out', out);
  assert.equal(r.code, 0, r.text);
  const v = spawnSync(process.execPath, [path.join(out, 'verify.mjs')], { encoding: 'utf8' });
  assert.equal(v.status, 0, v.stdout);
  const ok = await cli('verify');
  assert.equal(ok.code, 0, ok.text);
  assert.match(ok.text, /saved checkpoint\(s\)/);
  const { rows } = await t.db.query(`select id from evidence_events where type = 'ivr.prompt'`);
  await tamper(t.db, `update evidence_events set payload = '{"said":["Bye"]}' where id = $1`, [rows[0]!.id]);
  const bad = await cli('verify');
  assert.equal(bad.code, 1);
  assert.ok(bad.text.includes(rows[0]!.id), bad.text);
  const tok = await cli('token', '--name', 'auditor', '--role', 'compliance');
  assert.match(tok.text, /gwk_/);
  assert.equal((await cli('export', '--policy', 'CLI-1')).code, 64);
});

test('export takes dates as whole days in the insurer\'s zone, the end day included, and says what is wrong with a bad one', async () => {
  const h = await seedPolicyholder(t.db, { firstName: 'Eve', phone: '+12025550189', policyNumber: 'CLI-2' });
  const call = await newInteraction(t.db, { policyId: h.policyId, policyholderId: h.policyholderId });
  // 22:30 in New York on December 31 is already January 1 in UTC: an inclusive end date must still hold it.
  await appendEvidence(t.db, createManualClock('2027-01-01T03:30:00Z'), call, [{ type: 'ivr.prompt', payload: { said: ['Late call'] } }]);
  const out = path.join(dir, 'dates');
  const r = await cli('export', '--policy', 'CLI-2', '--from', '2026-12-31', '--to', '2026-12-31', '--out', out);
  assert.equal(r.code, 0, r.text);
  const events = JSON.parse(await readFile(path.join(out, 'events.json'), 'utf8')) as { payload: { said?: string[] } }[];
  assert.ok(events.some((e) => e.payload.said?.[0] === 'Late call'), 'the last day is in the window');
  const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.window, { from: '2026-12-31T05:00:00.000Z', to: '2027-01-01T04:59:59.999Z' });
  const bad = await cli('export', '--policy', 'CLI-2', '--from', '31/12/2026', '--to', '2026-12-31', '--out', out);
  assert.equal(bad.code, 64);
  assert.match(bad.text, /--from 31\/12\/2026: --from must be a date \(YYYY-MM-DD/);
  assert.match((await cli('export', '--policy', 'CLI-2', '--from', '2027-01-02', '--to', '2026-12-31', '--out', out)).text, /is after --to/);
});
