import assert from 'node:assert/strict';
import { test } from 'node:test';
import canonicalize from 'canonicalize';
import { readProbes } from '../merkle/testdata/read-probes.js';
import { appendLeaves, rangeRoot } from '../merkle/compact-range.js';
import { hashLeaf, perfectNodes } from '../merkle/rfc6962.js';
import { canonical, rootFromLeaves, verifyConsistency, verifyInclusion } from './verify-bundle.mjs';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : '', 'base64');
const b64s = (v: unknown) => (Array.isArray(v) ? v.map(b64) : []);
const fails = (fn: () => void) => {
  try {
    fn();
    return false;
  } catch {
    return true;
  }
};

// The bundle verifier carries its own copy of the proof checks (one file, no dependencies): same vectors.
test('the standalone verifier passes the happy transparency-dev vectors and rejects the tampered ones', () => {
  for (const { file, probe: p } of readProbes('inclusion')) {
    const bad = fails(() => verifyInclusion(BigInt(p.leafIdx as string), BigInt(p.treeSize as string), b64(p.leafHash), b64s(p.proof), b64(p.root)));
    assert.equal(bad, p.wantErr, file);
  }
  for (const { file, probe: p } of readProbes('consistency')) {
    const bad = fails(() => verifyConsistency(BigInt(p.size1 as string), BigInt(p.size2 as string), b64s(p.proof), b64(p.root1), b64(p.root2)));
    // why: unlike verify.go, the verifier also refuses equal sizes with different roots (a fork).
    if (p.size1 === p.size2 && !b64(p.root1).equals(b64(p.root2))) assert.ok(bad, file);
    else assert.equal(bad, p.wantErr, file);
  }
});

test('its canonical JSON is RFC 8785 as the canonicalize package writes it', () => {
  const samples = [{ b: 1, a: [true, null, 1.5e-7, 'é😀\u0000'], c: { z: -0, y: 1e21 } }, 'x', [], {}, { '\u00e9': 1, e: 2, E: 3 }];
  for (const s of samples) assert.equal(canonical(s), canonicalize(s));
});

test('a range proof over any subset of leaves rebuilds the root; a moved, changed or dropped leaf does not', () => {
  const size = 77;
  const leaves = Array.from({ length: size }, (_, i) => hashLeaf(`leaf ${i}`));
  const root = rangeRoot(appendLeaves({ size: 0, nodes: [] }, leaves).range);
  const proofFor = (picked: number[]) => {
    const gaps: Buffer[] = [];
    const sub = (s: number, e: number) => {
      for (const id of perfectNodes(s, e)) {
        gaps.push(rangeRoot(appendLeaves({ size: 0, nodes: [] }, leaves.slice(id.index * 2 ** id.level, (id.index + 1) * 2 ** id.level)).range));
      }
    };
    let pos = 0;
    for (const i of picked) {
      sub(pos, i);
      pos = i + 1;
    }
    sub(pos, size);
    return gaps;
  };
  for (const picked of [[], [0], [76], [5, 6, 7, 8], [1, 30, 31, 32, 64, 75], Array.from({ length: size }, (_, i) => i)]) {
    const gaps = proofFor(picked);
    const pairs = picked.map((i): [number, Buffer] => [i, leaves[i]!]);
    assert.ok(rootFromLeaves(size, pairs, gaps).equals(root), JSON.stringify(picked));
    if (picked.length === 0) continue;
    const moved = pairs.map(([i, h], k): [number, Buffer] => [k === 0 && i > 0 && !picked.includes(i - 1) ? i - 1 : i, h]);
    if (moved[0]![0] !== pairs[0]![0]) assert.ok(fails(() => rootFromLeaves(size, moved, gaps)) || !rootFromLeaves(size, moved, gaps).equals(root), 'moved');
    const changed = pairs.map(([i], k): [number, Buffer] => [i, k === 0 ? hashLeaf('forged') : leaves[i]!]);
    assert.ok(!rootFromLeaves(size, changed, gaps).equals(root));
    assert.ok(fails(() => rootFromLeaves(size, pairs.slice(1), gaps)) || !rootFromLeaves(size, pairs.slice(1), gaps).equals(root));
  }
  assert.ok(fails(() => rootFromLeaves(size, [[3, leaves[3]!], [3, leaves[3]!]], proofFor([3]))), 'repeated index');
  assert.ok(fails(() => rootFromLeaves(size, [[3, leaves[3]!]], proofFor([3]).slice(1))), 'short proof');
});

test('200 generated signing keys: each verifier key parses in the gateway and in the bundle verifier, and verifies its checkpoint', async () => {
  const { randomBytes } = await import('node:crypto');
  const { createSigner, parseVerifierKey, verifierKey } = await import('../signer.js');
  const { signCheckpoint } = await import('../checkpoint.js');
  const { openCheckpoint, parseKey } = await import('./verify-bundle.mjs');
  let withPlus = 0;
  for (let i = 0; i < 200; i++) {
    const name = `insurer-${i}.example/evidence`;
    const signer = createSigner(name, randomBytes(32).toString('base64'));
    const vkey = verifierKey(name, signer.publicKey);
    if (vkey.split('+').length > 3) withPlus++;
    assert.ok(parseVerifierKey(vkey).publicKey.equals(signer.publicKey), vkey);
    const key = parseKey(vkey);
    assert.ok(key.pub.equals(signer.publicKey), vkey);
    const note = signCheckpoint({ origin: name, size: i + 1, rootHash: randomBytes(32) }, signer);
    assert.equal(openCheckpoint(note, key).size, i + 1, vkey);
  }
  // why: about one key in five has a '+' in its base64; the test is void if none did.
  assert.ok(withPlus > 10, `only ${withPlus} keys had a '+' in their base64`);
});

test('malformed verifier keys are refused with the reason', async () => {
  const { parseKey } = await import('./verify-bundle.mjs');
  const { parseVerifierKey } = await import('../signer.js');
  const good = 'log+f7bc0c23+AQ' + 'A'.repeat(42);
  for (const [bad, why] of [
    ['log', /name\+keyid\+key/], ['+f7bc0c23+AQAA', /name\+keyid\+key|space/], ['log+f7bc0c2+AQAA', /8 hex/], ['log+zzzzzzzz+AQAA', /8 hex/],
    ['log+f7bc0c23+AQ==', /0x01 and 32 bytes/], [good, /does not match/], ['my log+f7bc0c23+AQAA', /space/],
  ] as const) {
    assert.throws(() => parseKey(bad), why, bad);
    assert.throws(() => parseVerifierKey(bad), /verifier key/, bad);
  }
});
