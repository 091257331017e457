import { hash } from 'node:crypto';

/**
 * RFC 6962 root of a tree fed one leaf hash at a time, for verifiers that
 * recompute a whole log in one pass: a stack of the right frontier's subtree
 * hashes (one per set bit of the size), merged as right children complete
 * their parents. No node objects, one reused 65-byte buffer per merge; the
 * root at any size is a fold of O(log n) hashes, so checkpoints are checked
 * on the way instead of by per-leaf proofs.
 *
 * why: hashes are kept as hex strings: node's crypto.hash returns a hex
 * string in a fraction of the time it takes to return a Buffer, and writing
 * hex into the reused buffer is cheaper still than that difference.
 */
export class TreeHasher {
  private readonly stack: string[] = [];
  private readonly pair = Buffer.alloc(65);
  size = 0;

  constructor() {
    this.pair[0] = 1;
  }

  private node(left: string, right: string): string {
    this.pair.write(left, 1, 32, 'hex');
    this.pair.write(right, 33, 32, 'hex');
    return hash('sha256', this.pair, 'hex');
  }

  push(leafHash: Buffer): void {
    this.pushHex(leafHash.toString('hex'));
  }

  /** push() of a leaf hash given as 64 hex digits. */
  pushHex(leafHash: string): void {
    let h = leafHash;
    // why: each trailing 1 bit of the old size is a complete left sibling waiting for this right child.
    for (let s = this.size; s & 1; s >>>= 1) h = this.node(this.stack.pop()!, h);
    this.stack.push(h);
    this.size += 1;
  }

  /** MTH of the leaves pushed so far (SHA-256 of nothing for none). */
  root(): Buffer {
    const n = this.stack.length;
    if (n === 0) return hash('sha256', '', 'buffer');
    let acc = this.stack[n - 1]!;
    for (let i = n - 2; i >= 0; i--) acc = this.node(this.stack[i]!, acc);
    return Buffer.from(acc, 'hex');
  }
}
