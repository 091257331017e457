import type { Queryable } from '../../db/pool.js';
import { frontierIds } from '../merkle/compact-range.js';
import { foldRight, nodeKey } from '../merkle/rfc6962.js';
import { latestCheckpoint, nodeReader } from './tree-store.js';

/** The log's latest signed checkpoint and what is left to sequence, as a dashboard shows it. */
export type LogState = {
  checkpoint: {
    treeSize: number;
    rootHash: string;
    /** The log's name (the note's first line) and the key that signed it (its signature line). */
    origin: string;
    signer: string;
    createdAt: string;
    /** The signed note as published at GET /evidence/checkpoint (its signature is checked against /evidence/public-key). */
    note: string;
    /** Whether the stored subtrees still fold into the signed root (a changed node would not). */
    treeMatchesRoot: boolean;
  } | null;
  /** Leaves in the log; more than the checkpoint's size means a round has not signed yet. */
  leaves: number;
  /** Committed events waiting for the sequencer, and since when the oldest waits. */
  waiting: number;
  oldestWaitingSince: string | null;
};

const SIGNER_LINE = /^\u2014 (\S+) /m;

/**
 * The latest checkpoint, checked against the stored tree (O(log n) nodes, not a full verification:
 * `npm run evidence -- verify` recomputes every leaf), with the sequencer's backlog.
 */
export const findLogState = async (db: Queryable): Promise<LogState> => {
  const [cp, leaves, waiting] = await Promise.all([
    latestCheckpoint(db),
    db.query<{ n: number }>('select coalesce(max(leaf_index) + 1, 0)::float8 as n from evidence_log_leaves'),
    db.query<{ n: number; oldest: Date | null }>('select count(*)::int as n, min(received_at) as oldest from evidence_unsequenced'),
  ]);
  let checkpoint: LogState['checkpoint'] = null;
  if (cp) {
    const ids = frontierIds(cp.treeSize);
    const nodes = await nodeReader(db)(ids);
    const hashes = ids.map((id) => nodes.get(nodeKey(id)));
    const treeMatchesRoot = hashes.every((h) => h !== undefined) && foldRight(hashes as Buffer[]).equals(cp.rootHash);
    checkpoint = {
      treeSize: cp.treeSize, rootHash: cp.rootHash.toString('base64'), origin: cp.note.split('\n')[0] ?? '',
      signer: SIGNER_LINE.exec(cp.note)?.[1] ?? 'unsigned', createdAt: cp.createdAt.toISOString(), note: cp.note, treeMatchesRoot,
    };
  }
  return {
    checkpoint, leaves: leaves.rows[0]?.n ?? 0, waiting: waiting.rows[0]?.n ?? 0,
    oldestWaitingSince: waiting.rows[0]?.oldest ? waiting.rows[0].oldest.toISOString() : null,
  };
};
