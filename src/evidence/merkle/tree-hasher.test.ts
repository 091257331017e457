import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendLeaves, rangeRoot, type CompactRange } from './compact-range.js';
import { emptyRoot, hashLeaf } from './rfc6962.js';
import { TreeHasher } from './tree-hasher.js';

test('the streaming hasher gives the compact range root at every size', () => {
  const t = new TreeHasher();
  assert.ok(t.root().equals(emptyRoot()));
  const hex = new TreeHasher();
  let range: CompactRange = { size: 0, nodes: [] };
  for (let i = 0; i < 300; i++) {
    const leaf = hashLeaf(`leaf ${i}`);
    t.push(leaf);
    hex.pushHex(leaf.toString('hex'));
    range = appendLeaves(range, [leaf]).range;
    assert.ok(t.root().equals(rangeRoot(range)), `size ${i + 1}`);
    assert.ok(hex.root().equals(t.root()), `pushHex, size ${i + 1}`);
  }
  const other = new TreeHasher();
  for (let i = 0; i < 300; i++) other.push(hashLeaf(i === 137 ? 'changed' : `leaf ${i}`));
  assert.ok(!other.root().equals(t.root()), 'one changed leaf changes the root');
});
