import assert from 'node:assert/strict';
import { test } from 'node:test';
import { newId } from './ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are RFC 9562 version 7 UUIDs carrying the current time, unique and strictly increasing', () => {
  const before = Date.now();
  const ids = Array.from({ length: 200_000 }, newId);
  const after = Date.now();
  assert.equal(new Set(ids).size, ids.length);
  for (let i = 0; i < ids.length; i++) {
    assert.match(ids[i]!, V7);
    if (i > 0) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} then ${ids[i]}`);
  }
  const msOf = (id: string) => parseInt(id.replaceAll('-', '').slice(0, 12), 16);
  assert.ok(msOf(ids[0]!) >= before && msOf(ids[0]!) <= after);
  // The counter may run ahead of the clock only by the ids made within one millisecond.
  assert.ok(msOf(ids.at(-1)!) <= after + 1);
});

test('the random part differs between ids made in the same millisecond', () => {
  const ids = Array.from({ length: 1000 }, newId);
  const tails = new Set(ids.map((id) => id.slice(-10)));
  assert.ok(tails.size > 990, `${tails.size} distinct random tails`);
});
