import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { DEFAULT_GRACE_PERIOD_DAYS, type Config } from './config/config.js';
import type { Db } from './db/pool.js';
import type { Locale } from './flows/inbound-call.machine.js';
import type { MachineRegistry } from './turns/machine-registry.js';
import { createSessionCache } from './turns/session-cache.js';
import { createTurnBatcher } from './turns/turn-batcher.js';
import type { TurnDeps } from './turns/turn-spec.js';
import { createIvrLookups } from './ivr/ivr-lookups.js';
import type { PromptCatalog } from './ivr/prompts/prompt-catalog.js';
import { voiceRoutes } from './ivr/voice.routes.js';
import { VOICE_HOLD_PATH } from './ivr/render-voice-turn.js';
import { transferRoutes } from './retention/transfer/transfer.routes.js';
import { callbackRulesOf } from './retention/callbacks/callback-rules.js';
import { callbacksApiRoutes } from './retention/callbacks/callbacks-api.routes.js';
import { recoveryTasksRoutes } from './recovery/recovery-tasks.routes.js';
import { recoveryReportRoutes } from './recovery/recovery-report.routes.js';
import { registerRecoveryGauges } from './recovery/recovery-gauges.js';
import { DEFAULT_RECOVERY_SCHEDULE_JSON } from './recovery/default-recovery-schedule.js';
import type { RecoverySchedule } from './recovery/recovery-schedule-config.js';
import { failedDebitsRoutes } from './import/failed-debits.routes.js';
import { createSmsRetentionPort } from './retention/sms-retention-port.js';
import { saveMetricsRoutes } from './retention/save-metrics.routes.js';
import { registerSaveMetricsGauges } from './retention/save-metrics-gauges.js';
import { createTransferPort } from './retention/transfer/transfer-port.js';
import { transfersApiRoutes } from './retention/transfer/transfers-api.routes.js';
import { DEFAULT_TRANSFER_TIMINGS } from './retention/transfer/transfer-deps.js';
import { retentionVoiceRoutes } from './retention/voice/retention-voice.routes.js';
import { loadRetentionPrompts } from './retention/voice/retention-prompts.js';
import { DEFAULT_RETENTION_OFFERS } from './retention/offers/default-retention-offers.js';
import type { RetentionOffers } from './retention/offers/offer-rules-config.js';
import type { OutboxRow } from './jobs/outbox-rows.js';
import { AppError } from './shared/app-error.js';
import { maskUrl } from './shared/redact.js';
import { cleanRequestText } from './shared/webhook-edge/clean-text.js';
import { requireRouteInputs, type DeclaredRoute } from './shared/webhook-edge/route-input.js';
import type { Clock } from './shared/clock.js';
import { createMetrics, type Metrics } from './shared/metrics.js';
import type { SmsCatalog } from './sms/sms-catalog.js';
// why: every job definition must be registered wherever outbox rows are written (the web process too).
import './runtime/job-catalog.js';
import { smsRoutes } from './sms/sms.routes.js';
import { smsAccountLookup } from './sms/find-sms-account.js';
import type { WebhookSpool } from './sms/spool/webhook-spool.js';
import { requireTwilioSignature } from './telephony/twilio-signature.js';
import type { RecoveryCallPorts } from './recovery-call/recovery-call-deps.js';
import { loadRecoveryCallPrompts } from './recovery-call/recovery-call-prompts.js';
import { recoveryCallRoutes } from './recovery-call/recovery-call.routes.js';
import { attachConsoleSessions } from './console/session-hook.js';
import { consoleRoutes } from './console/console.routes.js';
import type { ConsoleDeps } from './console/role-page.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the app with its declared input (see route-input.ts): what the fuzz suite covers. */
    declaredRoutes: readonly DeclaredRoute[];
  }
}

export type AppDeps = {
  config: Pick<Config, 'publicBaseUrl' | 'insurerName' | 'bodyLimitBytes' | 'businessHours' | 'payConnector'> &
    Partial<Pick<Config, 'gracePeriodDays' | 'smsQuoteWindowMinutes' | 'freeLookDays' | 'transfer'>>;
  /** The retention offers (RETENTION_OFFERS_FILE, checked at start); default: the built-in ones. */
  retentionOffers?: RetentionOffers;
  db: Db;
  /** Where messaging webhooks wait while Postgres is down (src/sms/spool); a worker applies them. */
  webhookSpool?: WebhookSpool;
  /** Anything that answers PING: readiness checks Redis through it. */
  redis: { ping: () => Promise<string> };
  clock: Clock;
  machines: MachineRegistry;
  dispatch: (rows: OutboxRow[]) => void;
  /** The auth token webhooks are signed with (a generated one in development). */
  twilioAuthToken: string;
  prompts: PromptCatalog;
  smsCatalog: SmsCatalog;
  defaultLocale?: Locale;
  metrics?: Metrics;
  holdMusicUrl?: string;
  /** The recovery call's Calls API and outcome port (docs/recovery-calls.md); read per request, so they may be set later. */
  recoveryCalls?: RecoveryCallPorts;
  /** RECOVERY_SCHEDULE_FILE as checked at start: the report's funnel follows its steps (the default schedule when not given). */
  recoverySchedule?: RecoverySchedule;
  logger?: FastifyServerOptions['logger'];
  /** The outbox queue, read (never changed) by the operator dashboard's queue view. */
  outboxQueue?: ConsoleDeps['outboxQueue'];
  /** More routes (payments, consoles, a flow's webhooks), registered after the core ones with the FlowContext. */
  plugins?: ((app: FastifyInstance, ctx: FlowContext) => Promise<void>)[];
};

/**
 * What a flow's routes get from the app (a plugin's options): the one turn engine, whose session
 * cache and group commit every flow shares, and Twilio's signature check for its webhooks.
 */
export type FlowContext = { turns: TurnDeps; verifySignature: ReturnType<typeof requireTwilioSignature> };

/** Paths whose payload may carry secrets or card data: never logged with their bodies. */
const REDACT = ['req.headers.authorization', 'req.headers["x-twilio-signature"]', 'req.headers["stripe-signature"]'];

/**
 * Builds the gateway's HTTP app without listening (tests use inject). Every
 * webhook authenticates first; bad input gets a 4xx with a reason; nothing
 * here answers a 500 to a caller on the phone.
 */
export const buildApp = async (deps: AppDeps): Promise<FastifyInstance> => {
  const metrics = deps.metrics ?? createMetrics();
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: true,
    ...(deps.logger && typeof deps.logger === 'object'
      ? { logger: { ...deps.logger, redact: REDACT, serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: maskUrl(req.url) }) } } }
      : {}),
  });
  const routes = requireRouteInputs(app);
  app.decorate('declaredRoutes', routes);
  await app.register(formbody, { bodyLimit: deps.config.bodyLimitBytes });
  cleanRequestText(app);

  app.addHook('onResponse', async (request, reply) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.statusCode).send({ error: err.code, message: err.message });
    }
    const e = err as { statusCode?: number; code?: string; message: string };
    if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || e.statusCode === 413) {
      return reply.code(413).send({ error: 'PAYLOAD_TOO_LARGE', message: `body exceeds ${deps.config.bodyLimitBytes} bytes` });
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.code(e.statusCode).send({ error: e.code ?? 'BAD_REQUEST', message: e.message });
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ error: 'INTERNAL', message: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );

  const probe = { config: { input: { auth: 'public', answers: 'json' } } } as const;
  app.get('/healthz', probe, async () => ({ status: 'ok' }));
  app.get('/readyz', probe, async (_request, reply) => {
    const checks = await Promise.allSettled([deps.db.query('select 1'), deps.redis.ping()]);
    const [pg, redis] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : 'unreachable'));
    const ready = pg === 'ok' && redis === 'ok';
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', postgres: pg, redis });
  });

  // The consoles' session cookie is read before any route, so the JSON APIs accept a signed-in user too.
  await attachConsoleSessions(app, { db: deps.db, clock: deps.clock });

  const retentionPrompts = loadRetentionPrompts();
  const verifySignature = requireTwilioSignature({
    authToken: deps.twilioAuthToken,
    publicBaseUrl: deps.config.publicBaseUrl,
  });
  const ivrDeps = {
    db: deps.db,
    sessions: createSessionCache(),
    batcher: createTurnBatcher(deps.db, deps.clock),
    clock: deps.clock,
    machines: deps.machines,
    dispatch: deps.dispatch,
    prompts: deps.prompts,
    smsCatalog: deps.smsCatalog,
    insurerName: deps.config.insurerName,
    defaultLocale: deps.defaultLocale ?? 'en-US',
    queueName: 'specialists',
    businessHours: deps.config.businessHours,
    payConnector: deps.config.payConnector,
    callSubflows: ['retention'],
    transfers: createTransferPort({ db: deps.db, clock: deps.clock, dispatch: deps.dispatch, businessHours: deps.config.businessHours }),
    lookups: createIvrLookups(deps.db, {
      clock: deps.clock,
      gracePeriodDays: deps.config.gracePeriodDays ?? DEFAULT_GRACE_PERIOD_DAYS,
      homeZone: deps.config.businessHours.zone,
    }),
    holdMusicUrl: deps.holdMusicUrl ?? 'https://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3',
    smsAccount: smsAccountLookup(deps.db, deps.clock, {
      graceDays: deps.config.gracePeriodDays ?? DEFAULT_GRACE_PERIOD_DAYS, homeZone: deps.config.businessHours.zone,
    }),
    quoteWindowMs: (deps.config.smsQuoteWindowMinutes ?? 10) * 60_000,
    retention: createSmsRetentionPort({ db: deps.db, clock: deps.clock, offers: deps.retentionOffers ?? DEFAULT_RETENTION_OFFERS }),
    homeZone: deps.config.businessHours.zone,
  } as const;
  await app.register(voiceRoutes, { deps: ivrDeps, metrics, verifySignature });
  await app.register(retentionVoiceRoutes, {
    metrics, verifySignature,
    deps: {
      ...ivrDeps, prompts: retentionPrompts, offers: deps.retentionOffers ?? DEFAULT_RETENTION_OFFERS,
      holdUrl: VOICE_HOLD_PATH, freeLookDays: deps.config.freeLookDays ?? 30,
    },
  });
  await app.register(transferRoutes, {
    metrics, verifySignature,
    deps: {
      db: deps.db, clock: deps.clock, dispatch: deps.dispatch, prompts: retentionPrompts, insurerName: deps.config.insurerName,
      timings: deps.config.transfer ?? DEFAULT_TRANSFER_TIMINGS,
      callbackRules: callbackRulesOf(deps.config.transfer, deps.smsCatalog, deps.config.insurerName),
    },
  });
  await app.register(recoveryCallRoutes, {
    metrics, verifySignature,
    deps: {
      db: deps.db, clock: deps.clock, dispatch: deps.dispatch, prompts: loadRecoveryCallPrompts(), insurerName: deps.config.insurerName,
      publicBaseUrl: deps.config.publicBaseUrl, graceDays: deps.config.gracePeriodDays ?? DEFAULT_GRACE_PERIOD_DAYS,
      homeZone: deps.config.businessHours.zone, ports: deps.recoveryCalls ?? {},
    },
  });
  await app.register(callbacksApiRoutes({ db: deps.db, clock: deps.clock }));
  await app.register(recoveryTasksRoutes({ db: deps.db, clock: deps.clock }));
  await app.register(failedDebitsRoutes({ db: deps.db, clock: deps.clock, dispatch: deps.dispatch }));
  await app.register(saveMetricsRoutes({ db: deps.db, clock: deps.clock }));
  registerSaveMetricsGauges(metrics.registry, { db: deps.db, clock: deps.clock });
  const scheduleSteps = (deps.recoverySchedule ?? DEFAULT_RECOVERY_SCHEDULE_JSON).steps.map((st) => st.id);
  await app.register(recoveryReportRoutes({ db: deps.db, clock: deps.clock, scheduleSteps }));
  registerRecoveryGauges(metrics.registry, { db: deps.db, clock: deps.clock, scheduleSteps });
  await app.register(transfersApiRoutes({
    db: deps.db, clock: deps.clock, dispatch: deps.dispatch, offers: deps.retentionOffers ?? DEFAULT_RETENTION_OFFERS, businessHours: deps.config.businessHours,
  }));
  await app.register(consoleRoutes({
    db: deps.db, clock: deps.clock, insurerName: deps.config.insurerName, zone: deps.config.businessHours.zone,
    secureCookies: deps.config.publicBaseUrl.startsWith('https:'),
    ...(deps.outboxQueue ? { outboxQueue: deps.outboxQueue } : {}),
  }));
  await app.register(smsRoutes, { deps: ivrDeps, metrics, verifySignature, ...(deps.webhookSpool ? { spool: deps.webhookSpool } : {}) });
  const flowContext: FlowContext = {
    turns: { db: ivrDeps.db, clock: ivrDeps.clock, machines: ivrDeps.machines, dispatch: ivrDeps.dispatch, sessions: ivrDeps.sessions, batcher: ivrDeps.batcher },
    verifySignature,
  };
  for (const plugin of deps.plugins ?? []) await app.register(plugin, flowContext);
  return app;
};
