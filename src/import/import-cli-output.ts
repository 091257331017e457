import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { writeRejectsFile, type RejectedRow } from './write-rejects-file.js';

/** How many rejected rows a summary lists; the rejects file has them all. */
const SHOWN_REJECTS = 20;

/** Why a file cannot be imported (missing, a folder, unreadable), or undefined when it can be read. */
export const checkReadable = async (file: string): Promise<string | undefined> => {
  try {
    const st = await stat(file);
    if (st.isDirectory()) return `${file} is a directory, not a CSV file`;
    await access(file, constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') return `file not found: ${file}`;
    if (code === 'EACCES' || code === 'EPERM') return `cannot read ${file}: permission denied`;
    return `cannot read ${file}: ${(err as Error).message}`;
  }
};

/** A progress bar over a file's bytes, with the rows read so far. */
export type ImportProgressBar = { update: (bytesRead: number, rowsRead: number) => void; stop: () => void };

/**
 * Starts a progress bar (bytes read of `totalBytes`, rows, ETA) on `stream`.
 * cli-progress draws only when the stream is a terminal, so a redirected
 * stderr stays free of it; it clears itself when stopped.
 */
export const startProgressBar = (stream: NodeJS.WritableStream, totalBytes: number, label = 'importing'): ImportProgressBar => {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} [{bar}] {percentage}% | {rows} rows | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(totalBytes, 1), 0, { rows: 0 });
  return { update: (bytesRead, rows) => bar.update(bytesRead, { rows }), stop: () => bar.stop() };
};

/**
 * Lists the first rejected rows on `stdout` and writes all of them to
 * `rejectsPath` (see writeRejectsFile), saying where; a failure to write the
 * file is reported on `stderr` with `prefix` (the command's name).
 */
export const reportRejects = async (
  rejected: { header: readonly string[]; rejects: readonly RejectedRow[] },
  rejectsPath: string,
  out: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; prefix: string },
): Promise<void> => {
  const { rejects } = rejected;
  const shown = rejects.slice(0, SHOWN_REJECTS);
  out.stdout.write(`\nRejected rows${rejects.length > shown.length ? ` (first ${shown.length} of ${rejects.length})` : ''}:\n`);
  for (const r of shown) out.stdout.write(`  line ${r.line}: ${r.reasons.join('; ')}\n`);
  try {
    await writeRejectsFile(rejectsPath, rejected);
    out.stdout.write(`All rejected rows, with their cells: ${rejectsPath}\n`);
  } catch (err) {
    out.stderr.write(`${out.prefix}: could not write ${rejectsPath}: ${(err as Error).message}\n`);
  }
};
