/**
 * RFC 6962 (RFC 9162 §2.1) Merkle tree hashing, proof planning and proof
 * verification, SHA-256 with the 0x00 (leaf) / 0x01 (node) domain separation.
 *
 * Hand-written because no maintained npm package implements RFC 6962
 * inclusion and consistency proofs (reference/evidence.md §5). Verification is
 * a port, in our own words, of transparency-dev/merkle `proof/verify.go`, and
 * is tested against that project's vectors, happy and tampered.
 *
 * Proof *generation* never rebuilds the tree: a proof is a list of ranges of
 * leaves whose Merkle hashes are wanted, and every such range is covered by at
 * most O(log n) complete (perfect) subtrees, which the log stores.
 */
import { createHash } from 'node:crypto';

/** Bytes of a SHA-256 hash. */
export const HASH_SIZE = 32;

/** Raised when a proof does not check out; the message says why. */
export class MerkleProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MerkleProofError';
  }
}

/** MTH({}): the root of the empty tree, SHA-256 of nothing. */
export const emptyRoot = (): Buffer => createHash('sha256').digest();

/** MTH({d}) = SHA-256(0x00 || d). */
export const hashLeaf = (data: Uint8Array | string): Buffer =>
  createHash('sha256').update(LEAF_PREFIX).update(data).digest();

/** SHA-256(0x01 || left || right). */
export const hashChildren = (left: Uint8Array, right: Uint8Array): Buffer =>
  createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();

const LEAF_PREFIX = Buffer.from([0]);
const NODE_PREFIX = Buffer.from([1]);

/** A complete subtree: leaves [index·2^level, (index+1)·2^level). */
export type NodeId = { level: number; index: number };

/** A range of leaves [start, end) whose Merkle hash a proof needs. */
export type LeafRange = readonly [start: number, end: number];

/** Storage key of a node, as NodeReader maps use it. */
export const nodeKey = (n: NodeId): string => `${n.level}/${n.index}`;

/** The largest power of two strictly below n (n ≥ 2). */
export const largestPowerOfTwoBelow = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};

/**
 * The complete subtrees covering [start, end), left to right, each as large
 * as alignment allows. For the aligned ranges proofs use, their sizes strictly
 * decrease, so folding them from the right gives the range's RFC 6962 hash.
 */
export const perfectNodes = (start: number, end: number): NodeId[] => {
  const out: NodeId[] = [];
  let s = start;
  while (s < end) {
    let level = 0;
    while (s % 2 ** (level + 1) === 0 && s + 2 ** (level + 1) <= end) level++;
    out.push({ level, index: s / 2 ** level });
    s += 2 ** level;
  }
  return out;
};

/** Folds node hashes (left to right, sizes decreasing) into the hash of the range they cover. */
export const foldRight = (hashes: readonly Buffer[]): Buffer => {
  const last = hashes[hashes.length - 1];
  if (!last) return emptyRoot();
  let acc = last;
  for (let i = hashes.length - 2; i >= 0; i--) acc = hashChildren(hashes[i]!, acc);
  return acc;
};

/** RFC 6962 §2.1.1 PATH(m, D[n]) as the ranges whose hashes form the audit path, leaf to root. */
export const inclusionPlan = (index: number, size: number): LeafRange[] => {
  if (!(index >= 0 && index < size)) throw new MerkleProofError(`index ${index} is outside a tree of size ${size}`);
  const out: LeafRange[] = [];
  const walk = (m: number, start: number, n: number) => {
    if (n === 1) return;
    const k = largestPowerOfTwoBelow(n);
    if (m < k) {
      walk(m, start, k);
      out.push([start + k, start + n]);
    } else {
      walk(m - k, start + k, n - k);
      out.push([start, start + k]);
    }
  };
  walk(index, 0, size);
  return out;
};

/** RFC 6962 §2.1.2 PROOF(m, D[n]) as the ranges whose hashes form the consistency proof. */
export const consistencyPlan = (size1: number, size2: number): LeafRange[] => {
  if (!(size1 > 0 && size1 <= size2)) {
    throw new MerkleProofError(`no consistency proof from size ${size1} to size ${size2}`);
  }
  const out: LeafRange[] = [];
  const sub = (m: number, start: number, n: number, whole: boolean) => {
    if (m === n) {
      if (!whole) out.push([start, start + n]);
      return;
    }
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      sub(m, start, k, whole);
      out.push([start + k, start + n]);
    } else {
      sub(m - k, start + k, n - k, false);
      out.push([start, start + k]);
    }
  };
  sub(size1, 0, size2, true);
  return out;
};

/** Fetches stored complete-subtree hashes by id; a missing id is a storage fault. */
export type NodeReader = (ids: readonly NodeId[]) => Promise<Map<string, Buffer>>;

/**
 * Turns planned ranges into hashes with ONE read of O(log n) stored nodes.
 * Throws when the store lacks a node the plan needs.
 */
export const hashRanges = async (ranges: readonly LeafRange[], read: NodeReader): Promise<Buffer[]> => {
  const perRange = ranges.map(([s, e]) => perfectNodes(s, e));
  const wanted = new Map<string, NodeId>();
  for (const ids of perRange) for (const id of ids) wanted.set(nodeKey(id), id);
  const got = await read([...wanted.values()]);
  return perRange.map((ids) =>
    foldRight(
      ids.map((id) => {
        const h = got.get(nodeKey(id));
        if (!h) throw new Error(`merkle store lacks node level ${id.level} index ${id.index}`);
        return h;
      }),
    ),
  );
};

// ---- Verification (bigint: vectors use indices up to 2^64 - 1) ----

const bitLen = (x: bigint): number => x.toString(2).length - (x === 0n ? 1 : 0);
const onesCount = (x: bigint): number => x.toString(2).replaceAll('0', '').length;
const trailingZeros = (x: bigint): number => {
  let n = 0;
  while (x > 0n && (x & 1n) === 0n) {
    x >>= 1n;
    n++;
  }
  return n;
};

/** Lengths of the inner part (paths to `index` and `size-1` not yet merged) and border part of a proof. */
const decompose = (index: bigint, size: bigint): { inner: number; border: number } => {
  const inner = bitLen(index ^ (size - 1n));
  return { inner, border: onesCount(index >> BigInt(inner)) };
};

const chainInner = (seed: Buffer, proof: readonly Buffer[], index: bigint): Buffer =>
  proof.reduce((acc, h, i) => (((index >> BigInt(i)) & 1n) === 0n ? hashChildren(acc, h) : hashChildren(h, acc)), seed);

// Only left siblings count: the result is the hash of the older, smaller version of this subtree.
const chainInnerRight = (seed: Buffer, proof: readonly Buffer[], index: bigint): Buffer =>
  proof.reduce((acc, h, i) => (((index >> BigInt(i)) & 1n) === 1n ? hashChildren(h, acc) : acc), seed);

const chainBorderRight = (seed: Buffer, proof: readonly Buffer[]): Buffer =>
  proof.reduce((acc, h) => hashChildren(h, acc), seed);

/** The root an inclusion proof leads to; throws when the proof cannot be for (index, size). */
export const rootFromInclusionProof = (
  index: bigint | number,
  size: bigint | number,
  leafHash: Buffer,
  proof: readonly Buffer[],
): Buffer => {
  const i = BigInt(index);
  const n = BigInt(size);
  if (i >= n) throw new MerkleProofError(`index ${i} is beyond tree size ${n}`);
  // why: like verify.go, only the leaf's size is checked; a wrong-sized proof hash just leads to another root.
  if (leafHash.length !== HASH_SIZE) throw new MerkleProofError(`the leaf hash has ${leafHash.length} bytes, not ${HASH_SIZE}`);
  const { inner, border } = decompose(i, n);
  if (proof.length !== inner + border) {
    throw new MerkleProofError(`inclusion proof has ${proof.length} hashes, expected ${inner + border}`);
  }
  return chainBorderRight(chainInner(leafHash, proof.slice(0, inner), i), proof.slice(inner));
};

/** Throws unless `proof` shows the leaf at `index` is in the tree of `size` with `root`. */
export const verifyInclusion = (
  index: bigint | number,
  size: bigint | number,
  leafHash: Buffer,
  proof: readonly Buffer[],
  root: Buffer,
): void => {
  const got = rootFromInclusionProof(index, size, leafHash, proof);
  if (!got.equals(root)) throw new MerkleProofError('inclusion proof leads to another root');
};

/** The size2 root a consistency proof leads to from (size1, root1); checks root1 along the way. */
export const rootFromConsistencyProof = (
  size1: bigint | number,
  size2: bigint | number,
  proof: readonly Buffer[],
  root1: Buffer,
): Buffer => {
  const m = BigInt(size1);
  const n = BigInt(size2);
  if (n < m) throw new MerkleProofError(`size2 ${n} is smaller than size1 ${m}`);
  if (m === 0n) throw new MerkleProofError('a consistency proof from the empty tree is meaningless');
  if (m === n) {
    if (proof.length > 0) throw new MerkleProofError('equal sizes need an empty proof');
    return root1;
  }
  if (proof.length === 0) throw new MerkleProofError('empty consistency proof');
  const { inner: fork, border } = decompose(m - 1n, n);
  const shift = trailingZeros(m);
  const inner = fork - shift;
  // A perfect old tree is its own first node: the verifier knows it as root1.
  const perfect = m === 1n << BigInt(shift);
  const seed = perfect ? root1 : proof[0]!;
  const rest = perfect ? proof : proof.slice(1);
  if (rest.length !== inner + border) {
    throw new MerkleProofError(`consistency proof has ${proof.length} hashes, expected ${(perfect ? 0 : 1) + inner + border}`);
  }
  const mask = (m - 1n) >> BigInt(shift);
  const hash1 = chainBorderRight(chainInnerRight(seed, rest.slice(0, inner), mask), rest.slice(inner));
  if (!hash1.equals(root1)) throw new MerkleProofError('consistency proof does not lead to the old root');
  return chainBorderRight(chainInner(seed, rest.slice(0, inner), mask), rest.slice(inner));
};

/** Throws unless `proof` shows the tree (size1, root1) is a prefix of (size2, root2). */
export const verifyConsistency = (
  size1: bigint | number,
  size2: bigint | number,
  proof: readonly Buffer[],
  root1: Buffer,
  root2: Buffer,
): void => {
  const got = rootFromConsistencyProof(size1, size2, proof, root1);
  if (!got.equals(root2)) throw new MerkleProofError('consistency proof leads to another new root');
};
