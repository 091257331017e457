import type { Registry } from 'prom-client';
import { listenPlain, pathOf, sendJson, type PlainHttpServer } from '../infra/plain-http-server.js';

/**
 * `GET /metrics` (Prometheus text format) on its own listener, METRICS_HOST:METRICS_PORT, never on
 * the public webhook port: what the gateway is doing is for the operators' scraper, not for anyone
 * who can reach the webhooks. The default host is loopback; a deployment opens it to its scraper.
 */
export const startMetricsServer = (registry: Registry, listen: { port: number; host: string }): Promise<PlainHttpServer> =>
  listenPlain((req, res) => {
    if (req.method !== 'GET' || pathOf(req) !== '/metrics') return sendJson(res, 404, { error: 'NOT_FOUND', message: 'only GET /metrics here' });
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      () => sendJson(res, 503, { error: 'METRICS_UNAVAILABLE' }),
    );
  }, listen);
