import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { AppError } from '../shared/app-error.js';

/** What readCsvRecords reads and whom it tells. */
export type ReadCsvRecordsInput = {
  /** A path to a CSV file, or any stream of its bytes (UTF-8, optional BOM). */
  input: Readable | string;
  /** The first record: check it (throwing stops the read before any row). */
  onHeader: (cells: string[]) => void;
  /** Each later record with the line where it ends (1 = the header); awaited, so a slow writer holds the read back. */
  onRecord: (line: number, record: string[]) => void | Promise<void>;
  /** Called as bytes are consumed; cheap enough to drive a progress bar. */
  onBytes?: (bytesRead: number) => void;
};

const FILE_ERRORS = new Set(['ENOENT', 'EACCES', 'EISDIR', 'EPERM']);

/**
 * Streams a CSV file record by record (RFC 4180, BOM allowed, blank lines
 * skipped, records as arrays so a short row is a bad row, not a crash).
 * Resolves to the bytes read. Throws `AppError('IMPORT_BAD_FILE')` for an
 * empty, unreadable or malformed file (with the line), and passes on what
 * `onHeader` and `onRecord` throw.
 */
export const readCsvRecords = async ({ input, onHeader, onRecord, onBytes }: ReadCsvRecordsInput): Promise<number> => {
  let bytesRead = 0;
  let headerSeen = false;
  const source = typeof input === 'string' ? createReadStream(input) : input;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytesRead += chunk.length;
      onBytes?.(bytesRead);
      done(null, chunk);
    },
  });
  const parser = parse({ bom: true, info: true, relax_column_count: true, skip_empty_lines: true });
  // why: when our stage throws, pipeline() may reject with the AbortError of the
  // source it destroys (a file stream does); the operator needs our error.
  let stageError: unknown;
  try {
    await pipeline(source, counter, parser, async (records: AsyncIterable<{ info: { lines: number }; record: string[] }>) => {
      try {
        for await (const { info, record } of records) {
          if (!headerSeen) {
            onHeader(record);
            headerSeen = true;
          } else {
            await onRecord(info.lines, record);
          }
        }
      } catch (err) {
        stageError = err;
        throw err;
      }
    });
  } catch (err) {
    throw asImportError(stageError ?? err, typeof input === 'string' ? input : 'the input');
  }
  if (!headerSeen) throw new AppError('IMPORT_BAD_FILE', 'the file is empty: a header row is required (see docs/import.md)');
  onBytes?.(bytesRead);
  return bytesRead;
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
