import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventLeaf, eventLeafHash, leafHashOf } from './leaf-data.js';

test('eventLeafHash is the RFC 6962 hash of the canonical event leaf', () => {
  const cases = [
    { id: '0190a1b2-0000-7000-8000-000000000001', interactionId: '0190a1b2-0000-7000-8000-0000000000ff', seq: 0, hash: 'ab'.repeat(32) },
    { id: '0190a1b2-0000-7000-8000-000000000002', interactionId: '0190a1b2-0000-7000-8000-0000000000fe', seq: 123456, hash: 'forged "x"\\' },
  ];
  for (const e of cases) {
    assert.ok(eventLeafHash(e.id, e.interactionId, e.seq, e.hash).equals(leafHashOf(eventLeaf(e))));
    assert.ok(!eventLeafHash(e.id, e.interactionId, e.seq + 1, e.hash).equals(leafHashOf(eventLeaf(e))));
  }
});
