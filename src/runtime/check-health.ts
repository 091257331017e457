import type { Config } from '../config/config.js';

/**
 * `main.js healthcheck`, the image's HEALTHCHECK: one check for every role.
 * It asks `GET /healthz` on PORT (web, start) and then on WORKER_HEALTH_PORT
 * (worker); the first that answers decides (2xx: exit 0, else 1). A container
 * runs one role, so nothing else listens on the other port; nothing answering
 * at all is unhealthy.
 */
export const checkHealth = async (config: Pick<Config, 'port' | 'workerHealthPort'>): Promise<number> => {
  for (const port of [config.port, config.workerHealthPort]) {
    let status: number;
    try {
      status = (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3_000) })).status;
    } catch {
      continue;
    }
    return status >= 200 && status < 300 ? 0 : 1;
  }
  return 1;
};
