import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redisConnectionOptions } from './redis-connection.js';

test('a REDIS_URL becomes host, port, password and database (BullMQ ignores a url field)', () => {
  assert.deepEqual(redisConnectionOptions('redis://:s%40cret@10.0.0.5:6380/3'), { host: '10.0.0.5', port: 6380, password: 's@cret', db: 3 });
  assert.deepEqual(redisConnectionOptions('redis://127.0.0.1'), { host: '127.0.0.1', port: 6379, db: 0 });
  assert.deepEqual(redisConnectionOptions('rediss://user:pw@cache.example:6390'), { host: 'cache.example', port: 6390, username: 'user', password: 'pw', db: 0, tls: {} });
  assert.throws(() => redisConnectionOptions('http://x'), /redis:\/\//);
});
