import assert from 'node:assert/strict';
import { test } from 'node:test';
import canonicalize from 'canonicalize';
import { readProbes } from '../merkle/testdata/read-probes.js';
import { canonical, verifyConsistency, verifyInclusion } from './verify-bundle.mjs';

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
