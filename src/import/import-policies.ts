import type { Readable } from 'node:stream';
import { withTransaction, type Db } from '../db/pool.js';
import type { Clock } from '../shared/clock.js';
import { parsePolicyRow, type RawPolicyRecord } from './parse-policy-row.js';
import { cellsByColumn } from './check-csv-header.js';
import { checkHeader, type PolicyColumn } from './policy-csv-columns.js';
import { readCsvRecords } from './read-csv-records.js';
import { writePolicyBatch, type BatchItem } from './write-policy-batch.js';
import type { RejectedRow } from './write-rejects-file.js';

export type { RejectedRow };

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
    const cells = cellsByColumn(columns!, record);
    if (!cells.ok) return reject(line, [cells.reason], record);
    const parsed = parsePolicyRow(cells.raw as RawPolicyRecord, { now });
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

  try {
    report.bytesRead = await readCsvRecords({
      input,
      onHeader: (cells) => {
        columns = checkHeader(cells);
        report.header = cells;
      },
      onRecord: async (line, record) => {
        accept(line, record);
        if (batch.length >= batchSize) await flush();
      },
      onBytes: (bytesRead) => onProgress?.({ bytesRead, rowsRead: report.read }),
    });
    await flush();
    await writing;
  } catch (err) {
    // why: never return (and let the caller end the pool) with a batch still mid-transaction.
    await writing.catch(() => undefined);
    throw err;
  }
  report.imported = report.inserted + report.updated;
  // why: database-side rejects arrive a batch late; report in file order.
  report.rejects.sort((a, b) => a.line - b.line);
  onProgress?.({ bytesRead: report.bytesRead, rowsRead: report.read });
  return report;
};
