import type { FastifyInstance } from 'fastify';
import { createRecoveryCallOutcomes } from '../recovery/recovery-call-outcomes.js';
import { buildApp } from '../app.js';
import { createDeployedRegistry } from '../flows/machines.js';
import { loadPromptCatalog } from '../ivr/prompts/prompt-catalog.js';
import { createMetrics } from '../shared/metrics.js';
import { loadSmsCatalog } from '../sms/sms-catalog.js';
import { createSenderRateLimiter } from '../contact/sender-rate-limiter.js';
import { noticesRoutes } from '../notices/notices.routes.js';
import { specialistsRoutes } from '../retention/specialists.routes.js';
import { QUEUE_PREFIX, type GatewayServices } from './gateway-services.js';
import { createRedisWebhookSpool } from '../sms/spool/webhook-spool.js';
import { startMetricsServer } from './metrics-server.js';
import { createWebCallControl } from './web-call-control.js';

/** The contact card and the operator's notices API, on the gateway's number and its sending rate. */
const noticesPlugin = (s: GatewayServices) => noticesRoutes({
  db: s.db, clock: s.clock, templates: s.noticeTemplates, dispatch: s.dispatcher.dispatch,
  wording: s.noticeWording,
  card: { name: s.config.insurerName, phone: s.twilio.fromNumber, website: s.config.insurerWebsite },
  from: s.twilio.fromNumber, homeZone: s.config.businessHours.zone,
  rateOf: createSenderRateLimiter(s.redis, { prefix: QUEUE_PREFIX, rates: s.contact.senderRates }).rateOf,
});

/**
 * Builds the HTTP app on the shared services and listens on HOST:PORT, with its metrics on
 * METRICS_HOST:METRICS_PORT (closed with the app).
 */
export const runWeb = async (s: GatewayServices): Promise<FastifyInstance> => {
  const metrics = createMetrics(s.metrics);
  const app = await buildApp({
    config: s.config,
    db: s.db,
    redis: s.redis,
    webhookSpool: createRedisWebhookSpool(s.redis, QUEUE_PREFIX),
    clock: s.clock,
    machines: createDeployedRegistry(),
    dispatch: s.dispatcher.dispatch,
    twilioAuthToken: s.twilio.authToken,
    prompts: loadPromptCatalog(),
    smsCatalog: loadSmsCatalog(),
    metrics,
    logger: { level: s.config.logLevel },
    holdMusicUrl: s.config.holdMusicUrl,
    retentionOffers: s.retentionOffers,
    recoveryCalls: { calls: createWebCallControl(s), onOutcome: createRecoveryCallOutcomes({ db: s.db, clock: s.clock }) },
    recoverySchedule: s.recoverySchedule,
    outboxQueue: s.queue,
    plugins: [s.payments.plugin, s.evidence.plugin, noticesPlugin(s), specialistsRoutes({ db: s.db, clock: s.clock, homeZone: s.config.businessHours.zone })],
  });
  const metricsServer = await startMetricsServer(metrics.registry, s.config.metrics);
  app.addHook('onClose', () => metricsServer.close());
  await app.listen({ port: s.config.port, host: s.config.host });
  return app;
};
