import { foldRight, hashChildren, perfectNodes, type NodeId } from './rfc6962.js';

/** A stored complete subtree with its hash. */
export type TreeNode = NodeId & { hash: Buffer };

/**
 * The right frontier of a tree of `size` leaves: the complete subtrees that
 * cover [0, size), left to right (one per set bit of size). Appending needs
 * nothing else, so a sequencer reads O(log n) nodes per round, never the tree.
 */
export type CompactRange = { size: number; nodes: TreeNode[] };

/** The node ids a frontier of `size` consists of (what to load from storage). */
export const frontierIds = (size: number): NodeId[] => perfectNodes(0, size);

/**
 * Appends leaf hashes and returns the new frontier plus every complete
 * subtree the append finished (leaves included), which the log stores so
 * later proofs read them instead of recomputing. Pure.
 */
export const appendLeaves = (range: CompactRange, leafHashes: readonly Buffer[]): { range: CompactRange; created: TreeNode[] } => {
  const nodes = [...range.nodes];
  const created: TreeNode[] = [];
  let size = range.size;
  for (const hash of leafHashes) {
    let node: TreeNode = { level: 0, index: size, hash };
    created.push(node);
    // why: a right child completes its parent; merge while the last frontier node is its left sibling.
    while (node.index % 2 === 1) {
      const left = nodes.pop();
      if (!left || left.level !== node.level || left.index !== node.index - 1) {
        throw new Error(`compact range is corrupt at level ${node.level} index ${node.index}`);
      }
      node = { level: node.level + 1, index: (node.index - 1) / 2, hash: hashChildren(left.hash, node.hash) };
      created.push(node);
    }
    nodes.push(node);
    size += 1;
  }
  return { range: { size, nodes }, created };
};

/** The RFC 6962 root of the tree a frontier describes. */
export const rangeRoot = (range: CompactRange): Buffer => foldRight(range.nodes.map((n) => n.hash));
