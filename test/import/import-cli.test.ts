import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runImportCli } from '../../src/import/import-cli.js';
import { createManualClock } from '../../src/shared/clock.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { baseRow, csvOf } from './csv-fixture.js';

const DEMO = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../demo/policyholders.csv');

let t: TestDb;
let dir: string;
before(async () => {
  t = await createTestDb();
  dir = await mkdtemp(path.join(tmpdir(), 'import-cli-'));
});
after(async () => {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
});

const capture = () => {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
};

const run = async (argv: string[]) => {
  const out = capture();
  const err = capture();
  const code = await runImportCli(argv, {
    db: t.db,
    clock: createManualClock('2026-11-23T12:00:00Z'),
    stdout: out.stream,
    stderr: err.stream,
  });
  return { code, stdout: out.text(), stderr: err.text() };
};

test('a valid file exits 0 with a summary', async () => {
  const r = await run([DEMO]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /rows read\s+9\n\s+inserted\s+9\n\s+updated\s+0\n\s+unchanged\s+0\n\s+rejected\s+0/);
});

test('rejected rows exit 2, are listed, and all land in FILE.rejects.csv with their cells', async () => {
  const file = path.join(dir, 'mixed.csv');
  await writeFile(file, csvOf([baseRow(1), { ...baseRow(2), phone: 'call me, maybe' }, baseRow(3)]));
  const r = await run([file]);
  assert.equal(r.code, 2);
  assert.match(r.stdout, /inserted\s+2/);
  assert.match(r.stdout, /line 3: phone: "call me, maybe" is not a valid phone number/);
  const rejects = await readFile(path.join(dir, 'mixed.rejects.csv'), 'utf8');
  const [header, row] = rejects.split('\r\n');
  assert.match(header ?? '', /^line,reason,customer_id,first_name,/);
  assert.match(row ?? '', /^3,"phone: ""call me, maybe"" is not a valid phone number",T-2,First2,Last2,/);

  const custom = path.join(dir, 'elsewhere.csv');
  assert.equal((await run([file, '--rejects', custom])).code, 2);
  assert.match(await readFile(custom, 'utf8'), /^line,reason,/);
});

test('fatal problems exit 1 with a clear message', async () => {
  const missing = await run([path.join(dir, 'nope.csv')]);
  assert.deepEqual([missing.code, missing.stderr], [1, `import: file not found: ${path.join(dir, 'nope.csv')}\n`]);

  const isDir = await run([dir]);
  assert.equal(isDir.code, 1);
  assert.match(isDir.stderr, /is a directory/);

  const wrong = path.join(dir, 'wrong.csv');
  await writeFile(wrong, 'id,name,phone\n1,Ann,2025550143\n');
  const header = await run([wrong]);
  assert.equal(header.code, 1);
  assert.match(header.stderr, /^import: the header row is not the documented policy CSV header: unknown column\(s\): "id", "name"/);

  const usage = await run([]);
  assert.equal(usage.code, 1);
  assert.match(usage.stderr, /usage: npm run import -- FILE.csv/);
  assert.equal((await run([DEMO, '--batch-size', 'zero'])).code, 1);
});
