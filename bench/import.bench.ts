/**
 * Import benchmark: 100,000 policy rows (about 70,000 policyholders) into a
 * fresh database, against baselines measured in the same run on the same file:
 * a bare csv-parse pass, csv-parse plus row validation (no database), and a
 * plain `COPY` of the same rows into a scratch table of text columns (psql
 * \copy, the floor for getting these bytes into Postgres at all).
 *
 *   npx tsx bench/import.bench.ts [ROWS]
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { importPolicies } from '../src/import/import-policies.js';
import { parsePolicyRow, type RawPolicyRecord } from '../src/import/parse-policy-row.js';
import { POLICY_COLUMNS } from '../src/import/policy-csv-columns.js';
import { systemClock } from '../src/shared/clock.js';
import { createTestDb } from '../test/support/test-db.js';

const ROWS = Number(process.argv[2] ?? 100_000);
const AREAS = ['202', '212', '305', '312', '404', '415', '512', '602', '713', '206'];
const ZONES = ['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'America/Phoenix'];
const STATUSES = ['active', 'active', 'active', 'active', 'grace', 'cancelled', 'lapsed', 'reinstated'];
const PRODUCTS = ['term-life', 'whole-life', 'auto', 'homeowners', 'renters'];

/** Deterministic pseudo-random numbers, so every run imports the same file. */
let seed = 42;
const rnd = (n: number) => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const pad = (n: number, w: number) => String(n).padStart(w, '0');

const generate = async (file: string) => {
  const out = createWriteStream(file);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(POLICY_COLUMNS.join(',') + '\n');
  let customer = 0;
  for (let i = 0; i < ROWS; ) {
    customer++;
    const policies = Math.min(ROWS - i, [1, 1, 1, 2, 3][rnd(5)]!);
    const phone = `(${AREAS[rnd(AREAS.length)]}) ${200 + rnd(700)}-${pad(rnd(10_000), 4)}`;
    const consent = ['yes', 'yes', 'yes', 'no', ''][rnd(5)]!;
    for (let p = 0; p < policies; p++, i++) {
      const due = `2026-12-${pad(1 + rnd(28), 2)}`;
      const cells = [
        `CUST-${pad(customer, 7)}`, `First${customer}`, `Last${customer}`, `c${customer}@example.com`, phone, '',
        rnd(10) === 0 ? 'es-US' : 'en-US', ZONES[rnd(ZONES.length)]!, 'sms',
        `19${50 + rnd(50)}-${pad(1 + rnd(12), 2)}-${pad(1 + rnd(28), 2)}`, pad(10_000 + rnd(89_999), 5),
        consent, consent, consent ? 'enrollment-form' : '', consent ? '2025-06-14T10:12:00-05:00' : '',
        `POL-${pad(i, 8)}`, PRODUCTS[rnd(PRODUCTS.length)]!, 'standard', `${50_000 + rnd(450) * 1000}.00`,
        `${10 + rnd(200)}.${pad(rnd(100), 2)}`, 'usd', 'monthly', due, '2026-11-01', STATUSES[rnd(STATUSES.length)]!,
      ];
      await write(cells.join(',') + '\n');
    }
  }
  out.end();
  await once(out, 'finish');
};

const timed = async <T>(fn: () => Promise<T>) => {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
};
const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);
const line = (label: string, seconds: number, extra = '') =>
  console.log(`${label.padEnd(34)} ${seconds.toFixed(2).padStart(7)} s ${Math.round(ROWS / seconds).toString().padStart(9)} rows/s ${extra}`);

const dir = await mkdtemp(path.join(tmpdir(), 'import-bench-'));
const file = path.join(dir, 'policies.csv');
const t = await createTestDb();
try {
  const gen = await timed(() => generate(file));
  console.log(`generated ${ROWS} rows (${((await stat(file)).size / 1e6).toFixed(1)} MB) in ${gen.seconds.toFixed(2)} s`);

  const bare = await timed(async () => {
    let n = 0;
    for await (const _ of createReadStream(file).pipe(parse({ info: true, relax_column_count: true }))) n++;
    return n;
  });
  line('baseline: csv-parse only', bare.seconds);

  const validate = await timed(async () => {
    let ok = 0;
    const now = new Date();
    for await (const rec of createReadStream(file).pipe(parse({ columns: true }))) {
      if (parsePolicyRow(rec as RawPolicyRecord, { now }).ok) ok++;
    }
    return ok;
  });
  line('baseline: csv-parse + validation', validate.seconds, `(${validate.value} valid)`);

  await t.db.query(`create table copy_scratch (${POLICY_COLUMNS.map((c) => `${c} text`).join(', ')})`);
  const copy = await timed(async () =>
    spawnSync('psql', [t.url, '-v', 'ON_ERROR_STOP=1', '-c', `\\copy copy_scratch from '${file}' csv header`], {
      encoding: 'utf8',
    }),
  );
  if (copy.value.status === 0) line('baseline: COPY into a text table', copy.seconds);
  else console.log(`baseline COPY skipped: ${copy.value.error?.message ?? copy.value.stderr}`);

  const first = await timed(() => importPolicies({ input: file, db: t.db, clock: systemClock }));
  const r = first.value;
  line('import (empty database)', first.seconds, `peak RSS ${peakMb()} MB`);
  console.log(`  read ${r.read}, inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}, rejected ${r.rejected}`);
  const again = await timed(() => importPolicies({ input: file, db: t.db, clock: systemClock }));
  line('re-import (all unchanged)', again.seconds, `peak RSS ${peakMb()} MB`);
  console.log(`  unchanged ${again.value.unchanged}, rejected ${again.value.rejected}`);
  if (copy.value.status === 0) {
    console.log(`import / COPY: ${(first.seconds / copy.seconds).toFixed(1)}x, import / validation only: ${(first.seconds / validate.seconds).toFixed(1)}x`);
  }
} finally {
  await t.drop();
  await rm(dir, { recursive: true, force: true });
}
