import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { AppError } from '../shared/app-error.js';
import { withTransaction, type Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { parsePolicyRow, type RawPolicyRecord } from './parse-policy-row.js';
import { checkHeader, type PolicyColumn } from './policy-csv-columns.js';
import { writePolicyBatch, type BatchItem } from './write-policy-batch.js';

/** A row that was not imported, with its line in the file (1 = the header). */
export type RejectedRow = { line: number; reasons: string[]; record: string[] };

/**
 * The outcome of an import. `read` counts data rows (not the header);
 * `read = inserted + updated + unchanged + rejected`, and `imported =
 * inserted + updated` (rows that changed the database).
 */
export type ImportReport = {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  imported: number;
  rejected: number;
  /** Every rejected row, in file order. */
  rejects: RejectedRow[];
  /** The header cells as written in the file (for a rejects file). */
  header: string[];
  bytesRead: number;
};

export type ImportProgress = { bytesRead: number; rowsRead: number };

export type ImportPoliciesInput = {
  /** A path to a CSV file, or any stream of its bytes (UTF-8, optional BOM). */
  input: Readable | string;
  db: Db;
  clock: Clock;
  /** Called as bytes are consumed; cheap enough to drive a progress bar. */
  onProgress?: (p: ImportProgress) => void;
  /** Rows per transaction (default 1,000). */
  batchSize?: number;
};

const FILE_ERRORS = new Set(['ENOENT', 'EACCES', 'EISDIR', 'EPERM']);

/** Same person if the names agree up to case and spacing (exports are rarely consistent about either). */
const nameKey = (first: string, last: string) => `${first} ${last}`.toLowerCase().replace(/\s+/g, ' ');

/**
 * Imports policyholders and their policies from the documented CSV
 * (docs/import.md), streaming, in transactions of `batchSize` rows.
 *
 * - The header is checked before anything is written: unknown, duplicated or
 *   missing required columns throw `AppError('IMPORT_BAD_FILE')`.
 * - Every row is validated; bad rows are reported with their line number and
 *   reasons while the good rows import. A policy number seen earlier in the
 *   file, or a customer id seen earlier under another name, rejects the row.
 * - Idempotent: upserts keyed by `customer_id` and `policy_number`; re-running
 *   the same file changes nothing and reports its rows as unchanged.
 * - Fatal errors (unreadable file, malformed CSV quoting, database down)
 *   throw; batches committed before stay committed, and a re-run after the fix
 *   is safe because the import is idempotent.
 */
export const importPolicies = async ({
  input,
  db,
  clock,
  onProgress,
  batchSize = 1000,
}: ImportPoliciesInput): Promise<ImportReport> => {
  const report: ImportReport = {
    read: 0, inserted: 0, updated: 0, unchanged: 0, imported: 0, rejected: 0, rejects: [], header: [], bytesRead: 0,
  };
  const now = clock.now();
  let columns: PolicyColumn[] | undefined;
  let batch: BatchItem[] = [];
  const policyLines = new Map<string, number>();
  const customers = new Map<string, { name: string; display: string; line: number }>();
  const holderWritten = new Set<string>();

  const reject = (line: number, reasons: string[], record: string[]) => {
    report.rejects.push({ line, reasons, record });
    report.rejected++;
  };

  const write = async (items: BatchItem[]) => {
    const outcomes = await withTransaction(db, (client) => writePolicyBatch(client, items, { now, holderWritten }));
    outcomes.forEach((o, n) => {
      const item = items[n]!;
      if (o.status === 'rejected') reject(item.line, [o.reason], item.record);
      else report[o.status]++;
    });
  };
  // why: one batch is written while the next is parsed, so Node's CPU (parsing,
  // validation) and Postgres's overlap; batches still commit one at a time, in order.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    await writing;
    if (!batch.length) return;
    writing = write(batch);
    writing.catch(() => undefined); // surfaced by the next await of `writing`
    batch = [];
  };

  const accept = (line: number, record: string[]) => {
    report.read++;
    const cols = columns!;
    if (record.length !== cols.length) {
      return reject(line, [`row has ${record.length} fields, the header has ${cols.length}`], record);
    }
    const raw: RawPolicyRecord = {};
    cols.forEach((c, i) => (raw[c] = record[i]));
    const parsed = parsePolicyRow(raw, { now });
    if (!parsed.ok) return reject(line, parsed.reasons, record);
    const { row } = parsed;
    const seenOn = policyLines.get(row.policyNumber);
    if (seenOn !== undefined) {
      return reject(line, [`policy_number: ${row.policyNumber} already appears on line ${seenOn}`], record);
    }
    const display = `${row.firstName} ${row.lastName}`;
    const customer = customers.get(row.customerId);
    if (customer && customer.name !== nameKey(row.firstName, row.lastName)) {
      return reject(
        line,
        [`customer_id: ${row.customerId} is "${customer.display}" on line ${customer.line}, "${display}" here`],
        record,
      );
    }
    policyLines.set(row.policyNumber, line);
    if (!customer) customers.set(row.customerId, { name: nameKey(row.firstName, row.lastName), display, line });
    batch.push({ line, row, record });
  };

  const source = typeof input === 'string' ? createReadStream(input) : input;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      report.bytesRead += chunk.length;
      onProgress?.({ bytesRead: report.bytesRead, rowsRead: report.read });
      done(null, chunk);
    },
  });
  // why: records as arrays (not objects) so the header is ours to check and a short row is a bad row, not a crash.
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true });

  // why: when our stage throws, pipeline() may reject with the AbortError of the
  // source it destroys (a file stream does); the operator needs our error.
  let stageError: unknown;
  try {
    await pipeline(source, counter, parser, async (records: AsyncIterable<{ info: { lines: number }; record: string[] }>) => {
      try {
        for await (const { info, record } of records) {
          if (!columns) {
            columns = checkHeader(record);
            report.header = record;
            continue;
          }
          accept(info.lines, record);
          if (batch.length >= batchSize) await flush();
        }
      } catch (err) {
        stageError = err;
        throw err;
      }
    });
    if (!columns) throw new AppError('IMPORT_BAD_FILE', 'the file is empty: a header row is required (see docs/import.md)');
    await flush();
    await writing;
  } catch (err) {
    // why: never return (and let the caller end the pool) with a batch still mid-transaction.
    await writing.catch(() => undefined);
    throw asImportError(stageError ?? err, typeof input === 'string' ? input : 'the input');
  }
  report.imported = report.inserted + report.updated;
  // why: database-side rejects arrive a batch late; report in file order.
  report.rejects.sort((a, b) => a.line - b.line);
  onProgress?.({ bytesRead: report.bytesRead, rowsRead: report.read });
  return report;
};

/** File-system and CSV syntax failures become `IMPORT_BAD_FILE` with a message an operator can act on. */
const asImportError = (err: unknown, name: string): unknown => {
  if (err instanceof AppError) return err;
  const code = (err as { code?: string }).code;
  if (code && FILE_ERRORS.has(code)) {
    return new AppError('IMPORT_BAD_FILE', `cannot read ${name}: ${(err as Error).message}`, { code });
  }
  if (err instanceof CsvError) {
    const line = (err as CsvError & { lines?: number }).lines;
    return new AppError(
      'IMPORT_BAD_FILE',
      `${name} is not valid CSV${line ? ` at line ${line}` : ''}: ${err.message}. ` +
        'Rows before it that were already committed stay imported; fix the file and run the import again.',
      { code: err.code, line },
    );
  }
  return err;
};
