import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { appendEvidence } from '../../src/evidence/append-evidence.js';
import { systemClock } from '../../src/shared/clock.js';
import { newId } from '../../src/shared/ids.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
// A DATA_DIR of its own: the command generates its evidence signing key there, not in the checkout's ./data.
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'gw-verify-cli-'));
before(async () => {
  t = await createTestDb();
});
after(async () => {
  await t.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `src/main.ts verify` as an operator would, against the test database. */
const runVerify = (): Promise<{ code: number; out: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'verify'], {
      env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: 'silent', DATA_DIR: dataDir },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });

test('npm run verify passes an intact log, then fails naming the one event edited in the database', async () => {
  const id = newId();
  await t.db.query(`insert into interactions (id, kind, provider_ref, started_at) values ($1, 'call', 'CAtest', now())`, [id]);
  await appendEvidence(t.db, systemClock, id, [
    { type: 'ivr.prompt', payload: { said: ['Hello Maria'] } },
    { type: 'ivr.input', payload: { digits: '1' } },
  ]);
  const ok = await runVerify();
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /All chains and the log are intact/);

  const { rows } = await t.db.query(`select id from evidence_events where interaction_id = $1 and seq = 1`, [id]);
  const c = await t.db.connect();
  await c.query('set session_replication_role = replica');
  await c.query(`update evidence_events set payload = '{"digits":"2"}' where id = $1`, [rows[0].id]);
  await c.query('set session_replication_role = origin');
  c.release();

  const bad = await runVerify();
  assert.equal(bad.code, 1);
  assert.match(bad.out, new RegExp(`BROKEN interaction ${id} at seq 1 \\(event ${rows[0].id}, ivr.input\\)`));
  assert.match(bad.out, /altered/);
});
