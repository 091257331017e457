import { AppError } from '../../shared/app-error.js';
import { nodeKey, perfectNodes, type NodeId } from '../merkle/rfc6962.js';
import { nodeReader, type Queryable } from './tree-store.js';

/** Base64 leaf hashes by index, and the gap hashes that complete the tree around them. */
export type RangeProof = { treeSize: number; leafHashes: Map<number, string>; gaps: string[] };

/**
 * One proof that many leaves are in the tree of `treeSize`: their hashes plus,
 * in order, the stored complete subtrees covering every gap between them
 * (RFC 6962 compact ranges), from which a verifier rebuilds the root once.
 * Clustered leaves (a call's events are sequenced together) cost about one
 * hash each plus O(log n) per gap, instead of O(log n) per leaf.
 */
export const rangeProof = async (db: Queryable, leafIndices: readonly number[], treeSize: number): Promise<RangeProof> => {
  const leaves = [...new Set(leafIndices)].sort((a, b) => a - b);
  const gapIds: NodeId[] = [];
  let pos = 0;
  for (const i of leaves) {
    if (i >= treeSize) throw new AppError('EVD_NOT_SEQUENCED', `leaf ${i} is not in the tree of size ${treeSize}`);
    gapIds.push(...perfectNodes(pos, i));
    pos = i + 1;
  }
  gapIds.push(...perfectNodes(pos, treeSize));
  const got = await nodeReader(db)([...gapIds, ...leaves.map((index) => ({ level: 0, index }))]);
  const read = (id: NodeId): string => {
    const h = got.get(nodeKey(id));
    if (!h) throw new AppError('EVD_NOT_FOUND', `tree node level ${id.level} index ${id.index} is missing`);
    return h.toString('base64');
  };
  return { treeSize, leafHashes: new Map(leaves.map((index) => [index, read({ level: 0, index })])), gaps: gapIds.map(read) };
};
