import type { Config } from '../config/config.js';
import { attachRunningEmbeddedPostgres } from '../db/attach-embedded-postgres.js';
import { migrate } from '../db/migrate.js';
import { createPool, type Db } from '../db/pool.js';
import type { InfraLogger } from '../infra/infra-logger.js';

/**
 * Postgres for one-shot commands (migrate, import, verify): DATABASE_URL, else
 * the embedded server of a gateway running on this DATA_DIR, else an embedded
 * server started for the command and stopped after it. Migrated either way.
 */
export const openDatabase = async (
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  log: InfraLogger,
): Promise<{ db: Db; close: () => Promise<void> }> => {
  let url = config.databaseUrl ?? (await attachRunningEmbeddedPostgres(config.dataDir));
  let stop: (() => Promise<void>) | null = null;
  if (!url) {
    // why lazily: embedded-postgres is heavy and installs its own exit hooks; most commands attach or have a URL.
    const { startEmbeddedPostgres } = await import('../db/embedded-postgres.js');
    const pg = await startEmbeddedPostgres({ dataDir: config.dataDir, log });
    url = pg.url;
    stop = pg.stop;
  }
  const db = createPool(url, 10);
  const close = async () => {
    await db.end().catch(() => undefined);
    await stop?.();
  };
  try {
    await migrate(db);
  } catch (err) {
    await close();
    throw err;
  }
  return { db, close };
};
