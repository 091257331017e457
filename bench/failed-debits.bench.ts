/**
 * Failed-debit import benchmark: ROWS failed debits (one per due, 1 in 20 a bad
 * row) imported into a database holding their policies and dues, then the same
 * file again (every good row a duplicate). Prints rows per second for both runs
 * and at 1, 4 and 8 rows in flight on fresh databases.
 *
 *   npx tsx bench/failed-debits.bench.ts [ROWS]
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { importFailedDebits } from '../src/import/import-failed-debits.js';
import { importPolicies } from '../src/import/import-policies.js';
import { POLICY_COLUMNS } from '../src/import/policy-csv-columns.js';
import { createManualClock } from '../src/shared/clock.js';
import { createTestDb } from '../test/support/test-db.js';

const ROWS = Number(process.argv[2] ?? 10_000);
const clock = createManualClock('2026-12-10T12:00:00Z');
const pad = (n: number, w: number) => String(n).padStart(w, '0');

const policiesCsv = () => {
  const lines = [POLICY_COLUMNS.join(',')];
  for (let i = 0; i < ROWS; i++) {
    const byColumn: Record<string, string> = {
      customer_id: `C-${pad(i, 7)}`, first_name: `First${i}`, last_name: `Last${i}`, phone: `(202) ${200 + (i % 700)}-${pad(i % 10_000, 4)}`,
      policy_number: `POL-${pad(i, 8)}`, product: 'auto', coverage_tier: 'standard', sum_insured: '50000.00', premium: '118.20',
      billing_frequency: 'monthly', next_due_date: '2026-12-05', status: 'active',
    };
    lines.push(POLICY_COLUMNS.map((c) => byColumn[c] ?? '').join(','));
  }
  return lines.join('\n');
};

const CODES = ['insufficient_funds', 'do_not_honor', 'lost_card', 'expired_card'];
const failuresCsv = () => {
  const lines = ['debit_ref,policy_number,due_date,amount,currency,failed_at,method,decline_code,return_code,reason'];
  for (let i = 0; i < ROWS; i++) {
    const bank = i % 5 === 0;
    const due = i % 20 === 7 ? '2026-11-05' : '2026-12-05'; // 1 in 20: no such due
    lines.push([`FD-${pad(i, 8)}`, `POL-${pad(i, 8)}`, due, '118.20', 'USD', '2026-12-05T06:00:00Z', bank ? 'bank' : 'card',
      bank ? '' : CODES[i % CODES.length], bank ? 'R01' : '', 'declined'].join(','));
  }
  return lines.join('\n');
};

const dir = await mkdtemp(path.join(tmpdir(), 'failed-debits-bench-'));
const file = path.join(dir, 'failures.csv');
await writeFile(path.join(dir, 'policies.csv'), policiesCsv());
await writeFile(file, failuresCsv());
for (const concurrency of [1, 4, 8]) {
  const t = await createTestDb();
  try {
    await importPolicies({ input: path.join(dir, 'policies.csv'), db: t.db, clock });
    for (const run of ['first', 'again']) {
      const started = performance.now();
      const r = await importFailedDebits({ input: file, db: t.db, clock, concurrency });
      const s = (performance.now() - started) / 1000;
      console.log(`${ROWS} rows, ${concurrency} in flight, ${run}: ${s.toFixed(2)} s, ${Math.round(ROWS / s)} rows/s ` +
        `(accepted ${r.accepted}, duplicate ${r.duplicate}, rejected ${r.rejected}, recoveries ${r.recoveriesStarted})`);
    }
  } finally {
    await t.drop();
  }
}
await rm(dir, { recursive: true, force: true });
