import type { Db } from '../db/pool.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import { recordImportedFailure } from '../payments/record-imported-failure.js';
import type { Clock } from '../shared/clock.js';
import { parseFailedDebitRow, type RawFailedDebitRecord } from './parse-failed-debit-row.js';
import type { RejectedRow } from './write-rejects-file.js';

/** What became of one row: accepted (recorded), duplicate (recorded before: nothing written) or rejected, with why. */
export type FailedDebitRowResult =
  | { line: number; debitRef: string; status: 'accepted'; declineClass: string; recoveryStarted: boolean }
  | { line: number; debitRef: string; status: 'duplicate' }
  | { line: number; debitRef: string | null; status: 'rejected'; reasons: string[] };

/**
 * The outcome of a failed-debit import: `read = accepted + duplicate + rejected`;
 * `recoveriesStarted` counts the `recovery.start` jobs queued (at most one per due).
 */
export type FailedDebitReport = {
  read: number;
  accepted: number;
  duplicate: number;
  rejected: number;
  recoveriesStarted: number;
  /** Every row's result, in input order. */
  results: FailedDebitRowResult[];
  /** The rejected rows with their cells, in input order (for a rejects file). */
  rejects: RejectedRow[];
  /** The header cells as written (for a rejects file). */
  header: string[];
  bytesRead: number;
};

export type FailedDebitImporterDeps = {
  db: Db;
  clock: Clock;
  /** Hands committed `recovery.start` rows to BullMQ; without it they wait for the worker's outbox relay. */
  dispatch?: (rows: OutboxRow[]) => void;
  /** Rows recorded at once (each in its own transaction; default 4). */
  concurrency?: number;
};

/** Collects failed-debit rows from any source (CSV records, JSON rows) and records each through payments. */
export type FailedDebitImporter = {
  /** Validates and records one row; resolves once it may take the next (rows run `concurrency` at a time). */
  add: (line: number, raw: RawFailedDebitRecord, record: string[]) => Promise<void>;
  /** Marks a row rejected before it could be read (a wrong number of fields). */
  reject: (line: number, reasons: string[], record: string[]) => void;
  /** Waits for the rows in flight and returns the report, rows in input order. */
  finish: () => Promise<FailedDebitReport>;
  report: FailedDebitReport;
};

/**
 * An importer of failed debits (docs/import.md): each row is validated with
 * parseFailedDebitRow, a reference seen earlier in the same input is refused,
 * and each good row is recorded by recordImportedFailure in its own
 * transaction (so one bad row never holds back the others). Idempotent: a
 * reference recorded before comes back `duplicate` and writes nothing.
 */
export const createFailedDebitImporter = ({ db, clock, dispatch, concurrency = 4 }: FailedDebitImporterDeps): FailedDebitImporter => {
  const report: FailedDebitReport = {
    read: 0, accepted: 0, duplicate: 0, rejected: 0, recoveriesStarted: 0, results: [], rejects: [], header: [], bytesRead: 0,
  };
  const now = clock.now();
  const refLines = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;

  const reject = (line: number, reasons: string[], record: string[], debitRef: string | null = null) => {
    report.rejected++;
    report.results.push({ line, debitRef, status: 'rejected', reasons });
    report.rejects.push({ line, reasons, record });
  };

  const record = async (line: number, row: Parameters<typeof recordImportedFailure>[1], cells: string[]) => {
    const outcome = await recordImportedFailure({ db, now }, row);
    if (outcome.status === 'rejected') return reject(line, [outcome.reason], cells, row.debitRef);
    if (outcome.status === 'duplicate') {
      report.duplicate++;
      report.results.push({ line, debitRef: row.debitRef, status: 'duplicate' });
      return;
    }
    report.accepted++;
    if (outcome.recoveryStarted) report.recoveriesStarted++;
    report.results.push({ line, debitRef: row.debitRef, status: 'accepted', declineClass: outcome.declineClass, recoveryStarted: outcome.recoveryStarted });
    if (outcome.outbox.length) dispatch?.(outcome.outbox);
  };

  const add = async (line: number, raw: RawFailedDebitRecord, cells: string[]) => {
    if (failure) throw failure;
    report.read++;
    const parsed = parseFailedDebitRow(raw, { now });
    if (!parsed.ok) return reject(line, parsed.reasons, cells, raw.debit_ref?.trim() || null);
    const { row } = parsed;
    const seenOn = refLines.get(row.debitRef);
    if (seenOn !== undefined) return reject(line, [`debit_ref: ${row.debitRef} already appears on line ${seenOn}`], cells, row.debitRef);
    refLines.set(row.debitRef, line);
    const p: Promise<void> = record(line, row, cells)
      .catch((err: unknown) => {
        failure ??= err;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
  };

  const finish = async () => {
    await Promise.all(inFlight);
    if (failure) throw failure;
    report.results.sort((a, b) => a.line - b.line);
    report.rejects.sort((a, b) => a.line - b.line);
    return report;
  };

  return {
    add,
    reject: (line, reasons, cells) => {
      report.read++;
      reject(line, reasons, cells);
    },
    finish,
    report,
  };
};
