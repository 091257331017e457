import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisConnectionOptions } from '../../src/infra/redis-connection.js';

/** Tests share the local Redis; each test file works under its own key prefix and removes it afterwards. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export const createTestRedis = () => {
  const prefix = `gwt_${randomBytes(5).toString('hex')}`;
  const connection = { ...redisConnectionOptions(TEST_REDIS_URL), maxRetriesPerRequest: null };
  return {
    prefix,
    url: TEST_REDIS_URL,
    connection,
    cleanup: async () => {
      const r = new Redis(TEST_REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await r.del(...keys);
      } while (cursor !== '0');
      await r.quit();
    },
  };
};
