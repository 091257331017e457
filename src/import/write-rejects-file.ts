import { writeFile } from 'node:fs/promises';

/** A row that was not imported, with its line in the file (1 = the header). */
export type RejectedRow = { line: number; reasons: string[]; record: string[] };

// why: csv-stringify is not a dependency and RFC 4180 quoting is four lines.
const cell = (v: string) => (/[",\r\n]/.test(v) || /^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const line = (cells: readonly string[]) => cells.map(cell).join(',') + '\r\n';

/**
 * The default place for the rejects of `input.csv`: `input.rejects.csv` beside it.
 */
export const defaultRejectsPath = (inputPath: string): string =>
  inputPath.replace(/(\.csv)?$/i, '.rejects.csv');

/**
 * Writes every rejected row as CSV: `line`, `reason`, then the row's own
 * cells under the input's header, so an operator can fix the rows in a
 * spreadsheet, drop the first two columns and import them again.
 */
export const writeRejectsFile = async (
  path: string,
  { header, rejects }: { header: readonly string[]; rejects: readonly RejectedRow[] },
): Promise<void> => {
  const out = [line(['line', 'reason', ...header])];
  for (const r of rejects) out.push(line([String(r.line), r.reasons.join('; '), ...r.record]));
  await writeFile(path, out.join(''), 'utf8');
};
