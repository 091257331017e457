import type { Registry } from 'prom-client';
import { listenPlain, pathOf, sendJson, type PlainHttpServer } from '../infra/plain-http-server.js';

/** What a worker process's health depends on; each probe rejects (or times out) when unhealthy. */
export type WorkerHealthChecks = {
  /** True while the process's BullMQ workers run (not closed, not closing). */
  workersRunning: () => boolean;
  postgres: () => Promise<unknown>;
  redis: () => Promise<unknown>;
  /** The process's metrics, served as `GET /metrics` beside `/healthz` (a worker has no METRICS_PORT server). */
  metrics?: Registry;
};

export type WorkerHealthServer = PlainHttpServer;

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
  return listenPlain((req, res) => {
    if (req.method === 'GET' && pathOf(req) === '/metrics' && checks.metrics) {
      const registry = checks.metrics;
      registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
        () => sendJson(res, 503, { error: 'METRICS_UNAVAILABLE' }),
      );
      return;
    }
    if (req.method !== 'GET' || pathOf(req) !== '/healthz') return sendJson(res, 404, { error: 'NOT_FOUND' });
    void (async () => {
      const [postgres, redis] = await Promise.all([probe(checks.postgres), probe(checks.redis)]);
      const workers = checks.workersRunning() ? 'running' : 'stopped';
      const healthy = workers === 'running' && postgres === 'ok' && redis === 'ok';
      sendJson(res, healthy ? 200 : 503, { status: healthy ? 'ok' : 'unhealthy', workers, postgres, redis });
    })();
  }, listen);
};
