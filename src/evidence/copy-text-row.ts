import type { RawRow } from './snapshot-scan.js';

const ESCAPED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

const unescape = (field: string, first: number): string => {
  let out = '';
  let from = 0;
  for (let i = first; i !== -1; i = field.indexOf('\\', from)) {
    const c = field[i + 1] ?? '';
    out += field.slice(from, i) + (ESCAPED[c] ?? c);
    from = i + 2;
  }
  return out + field.slice(from);
};

/**
 * One line of Postgres's COPY text format (without its '\n') as the columns'
 * text forms, null for SQL null: tab-separated, `\N` for null, and a
 * backslash before a backslash or a control character written as a letter
 * (Postgres writes every other character as is).
 */
export const copyTextRow = (line: string): RawRow => {
  const fields: RawRow = line.split('\t');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const at = f.indexOf('\\');
    if (at === -1) continue;
    fields[i] = f === '\\N' ? null : unescape(f, at);
  }
  return fields;
};
