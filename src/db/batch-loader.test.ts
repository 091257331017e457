import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBatchLoader } from './batch-loader.js';

test('lookups made together share one load with distinct keys; each caller gets its own answer or null', async () => {
  const loads: string[][] = [];
  const load = createBatchLoader(async (keys: string[]) => {
    loads.push(keys);
    return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
  });
  const got = await Promise.all(['a', 'b', 'a', 'missing', 'c'].map(load));
  assert.deepEqual(got, ['A', 'B', 'A', null, 'C']);
  assert.deepEqual(loads, [['a', 'b', 'missing', 'c']]);
  // A later lookup is a new batch.
  assert.equal(await load('d'), 'D');
  assert.equal(loads.length, 2);
});

test('a failed load rejects every caller of that batch and the next batch works again', async () => {
  let fail = true;
  const load = createBatchLoader(async (keys: number[]) => {
    if (fail) throw new Error('database unreachable');
    return new Map(keys.map((k) => [k, k * 2]));
  });
  const results = await Promise.allSettled([load(1), load(2)]);
  assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected']);
  fail = false;
  assert.deepEqual(await Promise.all([load(1), load(2)]), [2, 4]);
});

test('more lookups than a batch holds are split into several loads, none lost', async () => {
  const sizes: number[] = [];
  const load = createBatchLoader(async (keys: number[]) => {
    sizes.push(keys.length);
    return new Map(keys.map((k) => [k, k]));
  }, 10);
  const got = await Promise.all(Array.from({ length: 25 }, (_, i) => load(i)));
  assert.deepEqual(got, Array.from({ length: 25 }, (_, i) => i));
  assert.deepEqual(sizes, [10, 10, 5]);
});
