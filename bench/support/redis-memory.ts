import type { Redis } from 'ioredis';

/** Redis's used memory now and its peak since it started (INFO memory), in MB: the whole server, every database. */
export const redisMemory = async (redis: Redis): Promise<{ used: number; peak: number }> => {
  const info = await redis.info('memory');
  const field = (k: string) => Number(new RegExp(`${k}:(\\d+)`).exec(info)?.[1] ?? 0) / 1024 / 1024;
  return { used: field('used_memory'), peak: field('used_memory_peak') };
};
