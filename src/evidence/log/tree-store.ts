import type pg from 'pg';
import type { TreeNode } from '../merkle/compact-range.js';
import { nodeKey, type NodeId, type NodeReader } from '../merkle/rfc6962.js';

/** Anything that runs a query: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.ClientBase, 'query'>;

/** Reads stored subtree hashes in one query. */
export const nodeReader =
  (db: Queryable): NodeReader =>
  async (ids: readonly NodeId[]) => {
    if (ids.length === 0) return new Map();
    const { rows } = await db.query<{ level: number; idx: number; hash: Buffer }>(
      `select n.level, n.idx::float8 as idx, n.hash from evidence_tree_nodes n
         join unnest($1::smallint[], $2::bigint[]) as w(level, idx) on n.level = w.level and n.idx = w.idx`,
      [ids.map((i) => i.level), ids.map((i) => i.index)],
    );
    return new Map(rows.map((r) => [nodeKey({ level: r.level, index: Number(r.idx) }), r.hash]));
  };

/** Stores newly completed subtrees. */
export const insertNodes = async (db: Queryable, nodes: readonly TreeNode[]): Promise<void> => {
  if (nodes.length === 0) return;
  await db.query(
    'insert into evidence_tree_nodes (level, idx, hash) select * from unnest($1::smallint[], $2::bigint[], $3::bytea[])',
    [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash)],
  );
};

export type StoredCheckpoint = { treeSize: number; rootHash: Buffer; note: string; createdAt: Date };

// why: tree_size is bigint; cast so the row is a number whether or not the pool's int8 parser is loaded.
const CHECKPOINT_COLUMNS = 'tree_size::float8 as "treeSize", root_hash as "rootHash", note, created_at as "createdAt"';

/** The newest checkpoint, or null before the first sequencing round. */
export const latestCheckpoint = async (db: Queryable): Promise<StoredCheckpoint | null> => {
  const { rows } = await db.query<StoredCheckpoint>(
    `select ${CHECKPOINT_COLUMNS} from evidence_checkpoints order by tree_size desc limit 1`,
  );
  return rows[0] ?? null;
};

/** The checkpoint of exactly `size` leaves, if one was signed. */
export const checkpointAt = async (db: Queryable, size: number): Promise<StoredCheckpoint | null> => {
  const { rows } = await db.query<StoredCheckpoint>(
    `select ${CHECKPOINT_COLUMNS} from evidence_checkpoints where tree_size = $1`,
    [size],
  );
  return rows[0] ?? null;
};
