import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a worker process's health depends on; each probe rejects (or times out) when unhealthy. */
export type WorkerHealthChecks = {
  /** True while the process's BullMQ workers run (not closed, not closing). */
  workersRunning: () => boolean;
  postgres: () => Promise<unknown>;
  redis: () => Promise<unknown>;
};

export type WorkerHealthServer = { url: string; close: () => Promise<void> };

/** A probe that has not answered by then counts as unreachable: a container check must not hang. */
const PROBE_TIMEOUT_MS = 2_000;

const probe = async (check: () => Promise<unknown>): Promise<'ok' | 'unreachable'> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch {
    return 'unreachable';
  } finally {
    clearTimeout(timer);
  }
};

/**
 * The `worker` role serves no webhooks, so it answers its own `GET /healthz`
 * on a port of its own (WORKER_HEALTH_PORT): 200 when its BullMQ workers run
 * and Postgres and Redis answer, 503 otherwise, with a JSON body naming each
 * part. The image's HEALTHCHECK (`main.js healthcheck`) and orchestrators poll
 * it. Plain node:http: the worker does not load Fastify for one route.
 */
export const startWorkerHealthServer = async (
  checks: WorkerHealthChecks,
  listen: { port: number; host: string },
): Promise<WorkerHealthServer> => {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/healthz') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'NOT_FOUND' }));
      return;
    }
    void (async () => {
      const [postgres, redis] = await Promise.all([probe(checks.postgres), probe(checks.redis)]);
      const workers = checks.workersRunning() ? 'running' : 'stopped';
      const healthy = workers === 'running' && postgres === 'ok' && redis === 'ok';
      const body = { status: healthy ? 'ok' : 'unhealthy', workers, postgres, redis };
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
