import type { Readable } from 'node:stream';
import { cellsByColumn } from './check-csv-header.js';
import { createFailedDebitImporter, type FailedDebitImporterDeps, type FailedDebitReport } from './failed-debit-importer.js';
import { checkFailedDebitHeader, type FailedDebitColumn } from './failed-debit-csv-columns.js';
import { readCsvRecords } from './read-csv-records.js';

export type ImportFailedDebitsInput = FailedDebitImporterDeps & {
  /** A path to a CSV file, or any stream of its bytes (UTF-8, optional BOM). */
  input: Readable | string;
  /** Called as bytes are consumed; cheap enough to drive a progress bar. */
  onProgress?: (p: { bytesRead: number; rowsRead: number }) => void;
};

/**
 * Imports a failed-debit CSV (docs/import.md), streaming: the header is
 * checked before anything is written (`AppError('IMPORT_BAD_FILE')` otherwise,
 * as for an empty, unreadable or malformed file), then each row is validated
 * and recorded (see createFailedDebitImporter). Re-running the same file
 * reports every row as a duplicate and writes nothing.
 */
export const importFailedDebits = async ({ input, onProgress, ...deps }: ImportFailedDebitsInput): Promise<FailedDebitReport> => {
  const importer = createFailedDebitImporter(deps);
  let columns: FailedDebitColumn[] = [];
  try {
    importer.report.bytesRead = await readCsvRecords({
      input,
      onHeader: (cells) => {
        columns = checkFailedDebitHeader(cells);
        importer.report.header = cells;
      },
      onRecord: async (line, record) => {
        const cells = cellsByColumn(columns, record);
        if (!cells.ok) return importer.reject(line, [cells.reason], record);
        await importer.add(line, cells.raw, record);
      },
      onBytes: (bytesRead) => onProgress?.({ bytesRead, rowsRead: importer.report.read }),
    });
  } finally {
    // why: never return (and let the caller end the pool) with a row still mid-transaction.
    await importer.finish().catch(() => undefined);
  }
  return importer.finish();
};
