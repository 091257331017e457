import { AppError } from '../../shared/app-error.js';
import { consistencyPlan, hashRanges, inclusionPlan } from '../merkle/rfc6962.js';
import { nodeReader, type Queryable } from './tree-store.js';

/** Base64 hashes, leaf to root, as bundles and the API carry them. */
export type InclusionProof = { leafIndex: number; treeSize: number; leafHash: string; hashes: string[] };
export type ConsistencyProof = { size1: number; size2: number; hashes: string[] };

/**
 * Inclusion proofs for many leaves at one tree size, from stored subtree
 * hashes: O(log n) node reads per proof, never a rebuild of the tree.
 */
export const inclusionProofs = async (db: Queryable, leafIndices: readonly number[], treeSize: number): Promise<InclusionProof[]> => {
  if (leafIndices.length === 0) return [];
  const { rows } = await db.query<{ i: number; h: Buffer }>(
    'select leaf_index::float8 as i, leaf_hash as h from evidence_log_leaves where leaf_index = any($1::bigint[])',
    [leafIndices],
  );
  const hashes = new Map(rows.map((r) => [r.i, r.h]));
  const read = nodeReader(db);
  const out: InclusionProof[] = [];
  // why: batches keep each node query small while amortising round trips over many proofs.
  for (let i = 0; i < leafIndices.length; i += 256) {
    const chunk = leafIndices.slice(i, i + 256);
    const plans = chunk.map((li) => {
      if (li >= treeSize) throw new AppError('EVD_NOT_SEQUENCED', `leaf ${li} is not in the tree of size ${treeSize}`);
      return inclusionPlan(li, treeSize);
    });
    const flat = await hashRanges(plans.flat(), read);
    let at = 0;
    chunk.forEach((li, k) => {
      const n = plans[k]!.length;
      const leafHash = hashes.get(li);
      if (!leafHash) throw new AppError('EVD_NOT_FOUND', `leaf ${li} is missing from the log`);
      out.push({ leafIndex: li, treeSize, leafHash: leafHash.toString('base64'), hashes: flat.slice(at, at + n).map((h) => h.toString('base64')) });
      at += n;
    });
  }
  return out;
};

/** A consistency proof between two tree sizes from stored subtree hashes. */
export const consistencyProof = async (db: Queryable, size1: number, size2: number): Promise<ConsistencyProof> => {
  const hashes = await hashRanges(consistencyPlan(size1, size2), nodeReader(db));
  return { size1, size2, hashes: hashes.map((h) => h.toString('base64')) };
};
