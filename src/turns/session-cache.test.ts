import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSessionCache, type CachedSession } from './session-cache.js';

const session = (id: string) => ({ id, version: 1 }) as unknown as CachedSession;

test('live sessions and ended ones are bounded apart: ended calls never push out live ones', () => {
  const cache = createSessionCache(3, 2);
  for (const k of ['a', 'b', 'c']) cache.set(k, session(k));
  for (const k of ['x', 'y', 'z']) cache.set(k, session(k), { ended: true });
  assert.deepEqual(['a', 'b', 'c'].map((k) => cache.get(k)?.id), ['a', 'b', 'c']);
  assert.equal(cache.get('x'), undefined, 'the oldest ended session went first');
  assert.deepEqual(['y', 'z'].map((k) => cache.get(k)?.id), ['y', 'z']);
  assert.equal(cache.size, 5);
});

test('a session that ends moves to the ended side, and a delete forgets it on either side', () => {
  const cache = createSessionCache(3, 2);
  cache.set('a', session('a'));
  cache.set('a', session('a2'), { ended: true });
  assert.equal(cache.get('a')?.id, 'a2');
  assert.equal(cache.size, 1);
  for (const k of ['b', 'c', 'd']) cache.set(k, session(k));
  assert.equal(cache.get('a')?.id, 'a2', 'live sessions do not evict an ended one');
  cache.delete('a');
  cache.delete('d');
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.get('d'), undefined);
  assert.equal(cache.size, 2);
});

test('the least recently used live session is the one evicted', () => {
  const cache = createSessionCache(2, 1);
  cache.set('a', session('a'));
  cache.set('b', session('b'));
  cache.get('a');
  cache.set('c', session('c'));
  assert.equal(cache.get('b'), undefined);
  assert.ok(cache.get('a') && cache.get('c'));
});
