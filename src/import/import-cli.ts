import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isAppError } from '../shared/app-error.js';
import type { Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { importPolicies, type ImportReport } from './import-policies.js';
import { checkReadable, reportRejects, startProgressBar } from './import-cli-output.js';
import { defaultRejectsPath } from './write-rejects-file.js';

export type ImportCliDeps = {
  db: Db;
  clock: Clock;
  /** The summary goes here. */
  stdout: NodeJS.WritableStream;
  /** Progress bar (when a TTY) and error messages go here. */
  stderr: NodeJS.WritableStream;
};

/** Exit codes of `npm run import`, documented in docs/import.md. */
export const IMPORT_EXIT = { OK: 0, FATAL: 1, ROWS_REJECTED: 2 } as const;

const USAGE = 'usage: npm run import -- FILE.csv [--rejects PATH] [--batch-size N]\n       npm run import -- failed-debits FILE.csv [--rejects PATH]';
const summary = (file: string, r: ImportReport, seconds: number) =>
  [
    `Imported ${file} in ${seconds.toFixed(1)} s`,
    `  rows read   ${r.read}`,
    `  inserted    ${r.inserted}`,
    `  updated     ${r.updated}`,
    `  unchanged   ${r.unchanged}`,
    `  rejected    ${r.rejected}`,
    '',
  ].join('\n');

/**
 * `npm run import -- FILE.csv [--rejects PATH] [--batch-size N]`; with
 * `failed-debits` first, the failed-debit import instead (runFailedDebitsCli).
 *
 * `argv` holds the arguments after the `import` command word. Imports the
 * file with {@link importPolicies}, drawing a progress bar (by bytes read) on
 * `stderr` when it is a terminal, then prints a summary on `stdout`. When rows
 * are rejected, lists the first 20 and writes all of them to `--rejects`
 * (default `FILE.rejects.csv` beside the input).
 *
 * Resolves to the exit code; never throws and never calls `process.exit`:
 * 0 every row imported (or unchanged), 2 some rows rejected (the others were
 * imported), 1 nothing could be done (usage, unreadable file, wrong header,
 * malformed CSV, database error).
 */
export const runImportCli = async (argv: readonly string[], deps: ImportCliDeps): Promise<number> => {
  const { db, clock, stdout, stderr } = deps;
  if (argv[0] === 'failed-debits') {
    const { runFailedDebitsCli } = await import('./failed-debits-cli.js');
    return runFailedDebitsCli(argv.slice(1), deps);
  }
  const fail = (message: string) => {
    stderr.write(`import: ${message}\n`);
    return IMPORT_EXIT.FATAL;
  };
  let file: string;
  let rejectsPath: string;
  let batchSize: number | undefined;
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { rejects: { type: 'string' }, 'batch-size': { type: 'string' } },
    });
    if (positionals.length !== 1 || !positionals[0]) return fail(`expected one CSV file\n${USAGE}`);
    file = positionals[0];
    rejectsPath = values.rejects ?? defaultRejectsPath(file);
    if (values['batch-size'] !== undefined) {
      batchSize = Number(values['batch-size']);
      if (!Number.isInteger(batchSize) || batchSize < 1) return fail(`--batch-size must be a positive integer\n${USAGE}`);
    }
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }

  const unreadable = await checkReadable(file);
  if (unreadable) return fail(unreadable);
  const { size } = await stat(file);

  const started = clock.now();
  let report: ImportReport;
  const bar = startProgressBar(stderr, size);
  try {
    report = await importPolicies({
      input: file,
      db,
      clock,
      batchSize,
      onProgress: ({ bytesRead, rowsRead }) => bar.update(bytesRead, rowsRead),
    });
  } catch (err) {
    bar.stop();
    if (isAppError(err)) return fail(err.message);
    return fail(`failed: ${(err as Error).message}`);
  }
  bar.stop();

  const seconds = (clock.now().getTime() - started.getTime()) / 1000;
  stdout.write(summary(file, report, seconds));
  if (!report.rejected) return IMPORT_EXIT.OK;

  await reportRejects(report, rejectsPath, { stdout, stderr, prefix: 'import' });
  return IMPORT_EXIT.ROWS_REJECTED;
};
