import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendLeaves, rangeRoot, type TreeNode } from './compact-range.js';
import {
  consistencyPlan,
  emptyRoot,
  hashChildren,
  hashLeaf,
  hashRanges,
  inclusionPlan,
  nodeKey,
  verifyConsistency,
  verifyInclusion,
  type NodeReader,
} from './rfc6962.js';
import { readProbes } from './testdata/read-probes.js';

const b64 = (v: unknown): Buffer => Buffer.from(typeof v === 'string' ? v : '', 'base64');
const b64s = (v: unknown): Buffer[] => (Array.isArray(v) ? v.map(b64) : []);
const big = (v: unknown): bigint => BigInt(v as string | number);

const outcome = (fn: () => void): string | null => {
  try {
    fn();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

test('every transparency-dev inclusion vector: happy paths pass, tampered proofs fail', () => {
  const probes = readProbes('inclusion');
  assert.ok(probes.length > 90);
  for (const { file, probe: p } of probes) {
    const err = outcome(() => verifyInclusion(big(p.leafIdx), big(p.treeSize), b64(p.leafHash), b64s(p.proof), b64(p.root)));
    assert.equal(err !== null, p.wantErr, `${file}: ${p.desc} -> ${err ?? 'accepted'}`);
  }
});

test('every transparency-dev consistency vector: happy paths pass, tampered proofs fail', () => {
  const probes = readProbes('consistency');
  assert.ok(probes.length > 90);
  for (const { file, probe: p } of probes) {
    const err = outcome(() => verifyConsistency(big(p.size1), big(p.size2), b64s(p.proof), b64(p.root1), b64(p.root2)));
    assert.equal(err !== null, p.wantErr, `${file}: ${p.desc} -> ${err ?? 'accepted'}`);
  }
});

test('hashing matches the RFC 6962 reference values', () => {
  assert.equal(emptyRoot().toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.equal(hashLeaf(Buffer.alloc(0)).toString('hex'), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  assert.equal(hashLeaf('L123456').toString('hex'), '395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56');
  assert.equal(hashChildren(Buffer.from('N123'), Buffer.from('N456')).toString('hex'), 'aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb');
});

// transparency-dev testonly LeafInputs() and RootHashes() for the 8-leaf reference tree.
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** Builds a tree by appending, keeping every created node in a map: the stored-subtree model. */
const buildStore = (leafHashes: Buffer[]) => {
  const store = new Map<string, Buffer>();
  const roots: Buffer[] = [emptyRoot()];
  let range = { size: 0, nodes: [] as TreeNode[] };
  for (const h of leafHashes) {
    const r = appendLeaves(range, [h]);
    range = r.range;
    for (const n of r.created) store.set(nodeKey(n), n.hash);
    roots.push(rangeRoot(range));
  }
  let reads = 0;
  const read: NodeReader = async (ids) => {
    reads += ids.length;
    return new Map(ids.filter((id) => store.has(nodeKey(id))).map((id) => [nodeKey(id), store.get(nodeKey(id))!]));
  };
  return { roots, read, reads: () => reads };
};

test('appending reproduces the reference roots of every size', () => {
  const { roots } = buildStore(LEAVES.map((l) => hashLeaf(Buffer.from(l, 'hex'))));
  assert.deepEqual(roots.map((r) => r.toString('hex')), ROOTS);
});

test('proofs generated from stored subtrees verify, and match the published happy-path proofs', async () => {
  const leafHashes = LEAVES.map((l) => hashLeaf(Buffer.from(l, 'hex')));
  const { roots, read } = buildStore(leafHashes);
  for (let size = 1; size <= 8; size++) {
    for (let i = 0; i < size; i++) {
      const proof = await hashRanges(inclusionPlan(i, size), read);
      verifyInclusion(i, size, leafHashes[i]!, proof, roots[size]!);
    }
    for (let m = 1; m <= size; m++) {
      const proof = await hashRanges(consistencyPlan(m, size), read);
      verifyConsistency(m, size, proof, roots[m]!, roots[size]!);
    }
  }
  for (const dir of ['inclusion', 'consistency']) {
    for (const { file, probe: p } of readProbes(dir).filter((x) => x.probe.desc === 'happy path')) {
      const plan = dir === 'inclusion' ? inclusionPlan(Number(p.leafIdx), Number(p.treeSize)) : consistencyPlan(Number(p.size1), Number(p.size2));
      const proof = await hashRanges(plan, read);
      assert.deepEqual(proof.map((h) => h.toString('base64')), p.proof ?? [], file);
    }
  }
});

test('proofs in a large tree read O(log n) stored nodes and verify', async () => {
  const n = 5_000;
  const leafHashes = Array.from({ length: n }, (_, i) => hashLeaf(`leaf ${i}`));
  const { roots, read, reads } = buildStore(leafHashes);
  for (const [i, size] of [[0, n], [4_321, n], [n - 1, n], [1_000, 3_333]] as const) {
    const before = reads();
    const proof = await hashRanges(inclusionPlan(i, size), read);
    assert.ok(reads() - before <= 2 * Math.ceil(Math.log2(size)), `reads for ${i}/${size}`);
    verifyInclusion(i, size, leafHashes[i]!, proof, roots[size]!);
    assert.throws(() => verifyInclusion(i, size, leafHashes[(i + 1) % size]!, proof, roots[size]!));
  }
  const proof = await hashRanges(consistencyPlan(1_234, n), read);
  verifyConsistency(1_234, n, proof, roots[1_234]!, roots[n]!);
  assert.throws(() => verifyConsistency(1_234, n, proof, roots[1_235]!, roots[n]!));
});
