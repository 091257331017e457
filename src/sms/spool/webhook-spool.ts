import type { Redis } from 'ioredis';

/**
 * A messaging webhook that could not be applied when it came (Postgres was down): what it said,
 * where it came in and when. Kept in Redis until a worker applies it; never a card number (the
 * params are parsed and masked before they are spooled).
 */
export type SpooledWebhook =
  | { kind: 'inbound-sms'; params: Record<string, unknown>; path: string; receivedAt: string }
  | { kind: 'sms-status'; params: Record<string, unknown>; outboxId: string | null; path: string; receivedAt: string };

/** Port: where the web process leaves webhooks it could not apply, and where a worker finds them. */
export type WebhookSpool = {
  /** Resolves once the webhook is stored; rejects when Redis is unreachable too. */
  put: (w: SpooledWebhook) => Promise<void>;
  /**
   * Applies spooled webhooks, oldest first, at most `limit`: each is moved to a processing list
   * before `apply` runs and removed after it succeeds, so a worker dying mid-way leaves it to the
   * next pass (apply is idempotent: webhooks are deduplicated by their provider identity). Stops at
   * the first failure (Postgres still down), putting that one back first in line. Returns how many were applied.
   */
  drain: (apply: (w: SpooledWebhook) => Promise<void>, limit?: number) => Promise<number>;
};

/**
 * The spool in Redis lists `<prefix>:webhook-spool` (waiting) and `<prefix>:webhook-spool:processing`.
 * why: Redis, not the web node's disk: web nodes are stateless and any worker may apply the spool.
 */
export const createRedisWebhookSpool = (redis: Redis, prefix: string): WebhookSpool => {
  const waiting = `${prefix}:webhook-spool`;
  const processing = `${waiting}:processing`;
  return {
    put: async (w) => {
      await redis.rpush(waiting, JSON.stringify(w));
    },
    drain: async (apply, limit = 500) => {
      // why: entries a dead worker left in processing go back first in line (LMOVE keeps their order).
      while ((await redis.lmove(processing, waiting, 'RIGHT', 'LEFT')) !== null);
      let applied = 0;
      while (applied < limit) {
        const raw = await redis.lmove(waiting, processing, 'LEFT', 'RIGHT');
        if (raw === null) break;
        try {
          await apply(JSON.parse(raw) as SpooledWebhook);
        } catch (err) {
          await redis.lmove(processing, waiting, 'RIGHT', 'LEFT');
          throw err;
        }
        await redis.lrem(processing, 1, raw);
        applied += 1;
      }
      return applied;
    },
  };
};
