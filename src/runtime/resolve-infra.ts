import type { Config } from '../config/config.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import type { InfraLogger } from '../infra/infra-logger.js';
import { startPrivateRedis } from '../infra/private-redis.js';

export type Infra = {
  databaseUrl: string;
  redisUrl: string;
  embedded: { postgres: boolean; redis: boolean };
  /** Stops what this process started (embedded Postgres, private Redis); external services are left alone. */
  stop: () => Promise<void>;
};

/**
 * DATABASE_URL and REDIS_URL when set; otherwise an embedded Postgres and a
 * private redis-server under DATA_DIR, so `npm start` needs no setup.
 */
export const resolveInfra = async (
  config: Pick<Config, 'databaseUrl' | 'redisUrl' | 'dataDir'>,
  log: InfraLogger,
  pathEnv: string,
): Promise<Infra> => {
  const stops: (() => Promise<void>)[] = [];
  try {
    let databaseUrl = config.databaseUrl;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, log });
      stops.push(pg.stop);
      databaseUrl = pg.url;
      log.info({ port: pg.port, dataDir: config.dataDir }, 'embedded Postgres running (DATABASE_URL not set)');
    }
    let redisUrl = config.redisUrl;
    if (!redisUrl) {
      const redis = await startPrivateRedis({ dataDir: config.dataDir, log, pathEnv });
      stops.push(redis.stop);
      redisUrl = redis.url;
      log.info({ port: redis.port }, 'private redis-server running (REDIS_URL not set)');
    }
    return {
      databaseUrl,
      redisUrl,
      embedded: { postgres: !config.databaseUrl, redis: !config.redisUrl },
      stop: async () => {
        for (const stop of stops.reverse()) await stop().catch((err: unknown) => log.error({ err }, 'stopping embedded service failed'));
      },
    };
  } catch (err) {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    throw err;
  }
};
