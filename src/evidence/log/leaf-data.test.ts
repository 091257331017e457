import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventLeaf, eventLeafHashHex, leafHashOf } from './leaf-data.js';

test('eventLeafHashHex is the RFC 6962 hash of the canonical event leaf', () => {
  const cases = [
    { id: '0190a1b2-0000-7000-8000-000000000001', interactionId: '0190a1b2-0000-7000-8000-0000000000ff', seq: 0, hash: 'ab'.repeat(32) },
    { id: '0190a1b2-0000-7000-8000-000000000002', interactionId: '0190a1b2-0000-7000-8000-0000000000fe', seq: 123456, hash: 'forged "x"\\' },
  ];
  for (const e of cases) {
    assert.equal(eventLeafHashHex(e.id, e.interactionId, e.seq, e.hash), leafHashOf(eventLeaf(e)).toString('hex'));
    assert.notEqual(eventLeafHashHex(e.id, e.interactionId, e.seq + 1, e.hash), leafHashOf(eventLeaf(e)).toString('hex'));
  }
});
