import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Db } from '../db/pool.js';
import { isAppError } from '../shared/app-error.js';
import type { Clock } from '../shared/clock.js';
import type { FailedDebitReport } from './failed-debit-importer.js';
import { checkReadable, reportRejects, startProgressBar } from './import-cli-output.js';
import { importFailedDebits } from './import-failed-debits.js';
import { defaultRejectsPath } from './write-rejects-file.js';

/** Exit codes of `npm run import -- failed-debits`, documented in docs/import.md. */
export const FAILED_DEBITS_EXIT = { OK: 0, FATAL: 1, ROWS_REJECTED: 2, USAGE: 64 } as const;

const USAGE = 'usage: npm run import -- failed-debits FILE.csv [--rejects PATH]';

const summary = (file: string, r: FailedDebitReport, seconds: number) =>
  [
    `Imported failed debits from ${file} in ${seconds.toFixed(1)} s`,
    `  rows read           ${r.read}`,
    `  accepted            ${r.accepted}`,
    `  duplicate           ${r.duplicate}`,
    `  rejected            ${r.rejected}`,
    `  recoveries queued   ${r.recoveriesStarted}`,
    '',
  ].join('\n');

/**
 * `npm run import -- failed-debits FILE.csv [--rejects PATH]`: `argv` holds
 * the arguments after `failed-debits`. Records each failed debit of the file
 * (importFailedDebits), drawing a progress bar on `stderr` when it is a
 * terminal, then prints a summary on `stdout`; rejected rows are listed (the
 * first 20) and all written to `--rejects` (default `FILE.rejects.csv`).
 * The `recovery.start` jobs queued wait in the outbox for the worker's relay.
 *
 * Resolves to the exit code, never throws: 0 every row accepted or a
 * duplicate, 2 some rows rejected, 1 nothing could be done (unreadable
 * file, wrong header, malformed CSV, database error), 64 a bad command line.
 */
export const runFailedDebitsCli = async (
  argv: readonly string[],
  deps: { db: Db; clock: Clock; stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> => {
  const { db, clock, stdout, stderr } = deps;
  const fail = (message: string, code: number = FAILED_DEBITS_EXIT.FATAL) => {
    stderr.write(`import failed-debits: ${message}\n`);
    return code;
  };
  let file: string;
  let rejectsPath: string;
  try {
    const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { rejects: { type: 'string' } } });
    if (positionals.length !== 1 || !positionals[0]) return fail(`expected one CSV file\n${USAGE}`, FAILED_DEBITS_EXIT.USAGE);
    file = positionals[0];
    rejectsPath = values.rejects ?? defaultRejectsPath(file);
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`, FAILED_DEBITS_EXIT.USAGE);
  }
  const unreadable = await checkReadable(file);
  if (unreadable) return fail(unreadable);

  const started = clock.now();
  const bar = startProgressBar(stderr, (await stat(file)).size);
  let report: FailedDebitReport;
  try {
    // why: the command has the pool to itself; 8 rows in flight measured 1.35x the rate of 4 (bench/failed-debits.bench.ts).
    report = await importFailedDebits({ input: file, db, clock, concurrency: 8, onProgress: ({ bytesRead, rowsRead }) => bar.update(bytesRead, rowsRead) });
  } catch (err) {
    bar.stop();
    return fail(isAppError(err) ? err.message : `failed: ${(err as Error).message}`);
  }
  bar.stop();
  stdout.write(summary(file, report, (clock.now().getTime() - started.getTime()) / 1000));
  if (!report.rejected) return FAILED_DEBITS_EXIT.OK;
  await reportRejects(report, rejectsPath, { stdout, stderr, prefix: 'import failed-debits' });
  return FAILED_DEBITS_EXIT.ROWS_REJECTED;
};
