import { AppError } from '../shared/app-error.js';

/**
 * Header cells are matched leniently: case, surrounding blanks and the
 * separator between words do not matter ("Customer ID" = "customer_id"),
 * because spreadsheets rewrite headers that way.
 */
export const normaliseHeaderCell = (cell: string): string =>
  cell
    .trim()
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_');

/** The columns a CSV kind knows, those it requires, and its name in messages ("policy CSV"). */
export type CsvColumnsSpec<C extends string> = { known: readonly C[]; required: readonly C[]; name: string };

/**
 * Checks a header row against a CSV kind's columns and returns the column
 * name for each position. Throws `IMPORT_BAD_FILE` naming every unknown,
 * duplicated or missing required column, so the operator fixes the file in
 * one go and nothing is written from a file whose columns we would be guessing at.
 */
export const checkCsvHeader = <C extends string>(cells: readonly string[], spec: CsvColumnsSpec<C>): C[] => {
  const known = new Set<string>(spec.known);
  const names = cells.map(normaliseHeaderCell);
  const problems: string[] = [];
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) problems.push(`unknown column(s): ${unknown.map((n) => JSON.stringify(n)).join(', ')}`);
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length) problems.push(`duplicated column(s): ${[...new Set(dupes)].join(', ')}`);
  const missing = spec.required.filter((c) => !names.includes(c));
  if (missing.length) problems.push(`missing required column(s): ${missing.join(', ')}`);
  if (problems.length) {
    throw new AppError(
      'IMPORT_BAD_FILE',
      `the header row is not the documented ${spec.name} header: ${problems.join('; ')} (see docs/import.md)`,
      { unknown, missing, duplicated: dupes },
    );
  }
  return names as C[];
};

/**
 * A record's cells keyed by the header's column names, or why not: a row
 * with more or fewer fields than the header is a bad row (its cells would be
 * read under the wrong columns).
 */
export const cellsByColumn = <C extends string>(
  columns: readonly C[],
  record: readonly string[],
): { ok: true; raw: Partial<Record<C, string>> } | { ok: false; reason: string } => {
  if (record.length !== columns.length) return { ok: false, reason: `row has ${record.length} fields, the header has ${columns.length}` };
  const raw: Partial<Record<C, string>> = {};
  columns.forEach((c, i) => (raw[c] = record[i]));
  return { ok: true, raw };
};
