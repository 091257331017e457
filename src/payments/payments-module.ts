import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/pool.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import type { Clock } from '../shared/clock.js';
import type { ClassifyOptions } from './classify-decline.js';
import { startFakeStripe, type FakeStripe } from './fake-stripe/fake-stripe-server.js';
import type { PaymentGateway } from './payment-gateway.js';
import type { PaymentsDeps } from './payments-deps.js';
import { reconcilePayments } from './reconcile-payments.js';
import { resolveStaleAttempts } from './resolve-stale-attempts.js';
import { HANDLED_STRIPE_EVENTS } from './handle-stripe-event.js';
import { createStripeClient, createStripePaymentGateway } from './stripe-payment-gateway.js';
import { createStripeWebhookPlugin } from './stripe-webhook.routes.js';

type Log = { info: (o: object, m: string) => void; warn: (o: object, m: string) => void };

export type PaymentsOptions = {
  db: Db;
  clock: Clock;
  log: Log;
  /** Sends committed outbox rows to the queue; without it the relay sends them. */
  dispatch?: (rows: OutboxRow[]) => void;
  config: {
    /** STRIPE_SECRET_KEY; absent: a loopback fake Stripe is started. */
    secretKey?: string;
    /** STRIPE_API_URL: another host for Stripe's API (stripe-mock, a loopback fake); unset: Stripe's. */
    apiUrl?: string;
    /** STRIPE_WEBHOOK_SECRET; required with a real key; for the fake, given or generated. */
    webhookSecret?: string;
    freeLookDays: number;
    publicBaseUrl: string;
    insurerName?: string;
    /** Where the fake posts its webhooks (default `${publicBaseUrl}/stripe/webhook`). */
    fakeWebhookUrl?: string;
    maxNetworkRetries?: number;
    timeoutMs?: number;
    decline?: ClassifyOptions;
    /** PAYMENTS_CHARGE_LEASE_MS: how long one process owns a pending charge before the reconciliation may resolve it. */
    chargeLeaseMs?: number;
    /** PAYMENTS_RECEIPT_FALLBACK_MS: see PaymentsDeps. */
    receiptFallbackMs?: number;
  };
};

export type Payments = {
  gateway: PaymentGateway;
  deps: PaymentsDeps;
  /** Register with buildApp's `plugins`: POST /stripe/webhook and the pay-link landing pages. */
  plugin: (app: FastifyInstance) => Promise<void>;
  /** One reconciliation run (what the scheduled job does): stale attempts resolved, then Stripe's last `sinceHours` compared. */
  reconcile: (sinceHours: number) => Promise<void>;
  fakeStripe: FakeStripe | null;
  close: () => Promise<void>;
};

/** The stripe SDK's host, port and protocol for an API URL. */
const endpointOf = (url: string): { host: string; port: number; protocol: 'http' | 'https' } => {
  const u = new URL(url);
  const protocol = u.protocol === 'http:' ? 'http' : 'https';
  return { host: u.hostname, port: Number(u.port) || (protocol === 'http' ? 80 : 443), protocol };
};

/**
 * Everything payments need, wired once. With a Stripe secret key it talks to
 * Stripe; without one it starts the loopback fake Stripe (same SDK, same code
 * path) with a generated webhook secret, delivering webhooks to the gateway.
 */
export const createPayments = async (o: PaymentsOptions): Promise<Payments> => {
  let fakeStripe: FakeStripe | null = null;
  let secretKey = o.config.secretKey;
  let webhookSecret = o.config.webhookSecret;
  if (secretKey && !webhookSecret) throw new Error('STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY');
  if (!secretKey) {
    secretKey = `sk_test_fake_${randomBytes(12).toString('hex')}`;
    // A shared development secret (from DATA_DIR) lets separate web and worker processes agree.
    webhookSecret ??= `whsec_${randomBytes(24).toString('base64url')}`;
    fakeStripe = await startFakeStripe({
      secretKey, webhookSecret, now: o.clock.now,
      webhookUrl: o.config.fakeWebhookUrl ?? `${o.config.publicBaseUrl}/stripe/webhook`,
      enabledEvents: HANDLED_STRIPE_EVENTS,
    });
    o.log.info({ url: fakeStripe.url }, 'simulated Stripe: payments go to a loopback fake');
  }
  const gateway = createStripePaymentGateway(createStripeClient({
    secretKey,
    ...(fakeStripe ? { endpoint: fakeStripe.endpoint } : o.config.apiUrl ? { endpoint: endpointOf(o.config.apiUrl) } : {}),
    ...(o.config.maxNetworkRetries !== undefined ? { maxNetworkRetries: o.config.maxNetworkRetries } : {}),
    ...(o.config.timeoutMs !== undefined ? { timeoutMs: o.config.timeoutMs } : {}),
  }));
  const deps: PaymentsDeps = {
    db: o.db, clock: o.clock, gateway, ...(o.dispatch ? { dispatch: o.dispatch } : {}),
    config: {
      freeLookDays: o.config.freeLookDays, publicBaseUrl: o.config.publicBaseUrl.replace(/\/+$/, ''),
      insurerName: o.config.insurerName ?? 'Harbor Mutual', ...(o.config.decline ? { decline: o.config.decline } : {}),
      ...(o.config.chargeLeaseMs !== undefined ? { chargeLeaseMs: o.config.chargeLeaseMs } : {}),
      ...(o.config.receiptFallbackMs !== undefined ? { receiptFallbackMs: o.config.receiptFallbackMs } : {}),
    },
  };
  /** Resolves attempts left pending past their lease, then compares Stripe's recent payments with ours. */
  const reconcile = async (sinceHours: number): Promise<void> => {
    const resolved = await resolveStaleAttempts(deps);
    if (resolved.length) o.log.warn({ resolved }, 'payment attempts left pending past their lease were resolved at Stripe');
    const r = await reconcilePayments({ since: new Date(o.clock.now().getTime() - sinceHours * 3_600_000) }, deps);
    if (r.mismatches.length) o.log.warn({ mismatches: r.mismatches }, 'payment reconciliation found mismatches');
  };
  return {
    gateway,
    deps,
    plugin: createStripeWebhookPlugin({ ...deps, webhookSecret: webhookSecret! }),
    reconcile,
    fakeStripe,
    close: async () => {
      await fakeStripe?.close();
    },
  };
};
