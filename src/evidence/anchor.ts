import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../shared/clock.js';

/** A checkpoint handed to something outside the database. */
export type AnchorRecord = { treeSize: number; note: string; anchoredAt: string };

/**
 * Port: puts each checkpoint somewhere a database superuser cannot rewrite
 * (an RFC 3161 timestamp authority, a write-once bucket). Called after the
 * checkpoint commits; a failure leaves the checkpoint unanchored and the next
 * one (which is consistent with it) covers it.
 */
export type EvidenceAnchor = {
  anchor: (checkpoint: { treeSize: number; note: string }) => Promise<void>;
  /** Checkpoints anchored so far, oldest first, for fork detection by `verify`. */
  list: () => Promise<AnchorRecord[]>;
};

/**
 * Embedded default: appends one JSON line per checkpoint to a file under
 * DATA_DIR. Outside the database, so a rewritten log still disagrees with it;
 * not outside the machine, which is why production uses a TSA or a bucket.
 */
export const createFileAnchor = (file: string, clock: Clock): EvidenceAnchor => ({
  anchor: async ({ treeSize, note }) => {
    await mkdir(path.dirname(file), { recursive: true });
    const record: AnchorRecord = { treeSize, note, anchoredAt: clock.now().toISOString() };
    await appendFile(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  },
  list: async () => {
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as AnchorRecord);
  },
});

/** Where the embedded file anchor lives. */
export const defaultAnchorFile = (dataDir: string): string => path.join(dataDir, 'evidence', 'checkpoint-anchors.jsonl');
