import { createFaultQueue } from '../../shared/fake-api-faults.js';
import { readRequestBody } from '../../shared/read-request-body.js';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import type { CardOutcome } from '../../shared/stripe-test-cards.js';
import { createWebhookSender, type Delivery, type FakeEvent } from './fake-stripe-events.js';
import { createFakeStripeStore, FakeStripeError, stripeId } from './fake-stripe-store.js';
import { canonicalParams, parseStripeForm } from './form.js';
import { renderCheckoutPage } from './checkout-page.js';

export type FakeStripeOptions = {
  secretKey: string;
  /** Endpoint secret the fake signs webhooks with (`whsec_...`). */
  webhookSecret: string;
  /** Where webhooks go; may be set later with `setWebhookUrl`. */
  webhookUrl?: string;
  /** The endpoint's `enabled_events`, as in Stripe: only these types are delivered (default all, `*`). */
  enabledEvents?: readonly string[];
  now?: () => Date;
  port?: number;
};

export type { FakeFault, HeldRequest } from '../../shared/fake-api-faults.js';

type Stored = { fingerprint: string; status: number; body: string; done: boolean };

export type FakeStripe = Awaited<ReturnType<typeof startFakeStripe>>;

/**
 * A loopback stand-in for the parts of Stripe's v1 API the gateway uses,
 * reached by the real stripe SDK through its host/port/protocol options.
 * Faithful where it matters for money: bearer auth with the secret key,
 * form-encoded bodies, `Idempotency-Key` replay (same key and parameters →
 * the stored answer with `idempotent-replayed: true`; different parameters →
 * 400 idempotency_error; still running → 409), `request-id` headers, 402 card
 * errors with decline/advice codes, and signed webhooks in Stripe's event shape.
 */
export const startFakeStripe = async (o: FakeStripeOptions) => {
  const now = o.now ?? (() => new Date());
  const idempotent = new Map<string, Stored>();
  const faults = createFaultQueue();
  const events: FakeEvent[] = [];
  const requests: { method: string; path: string; idempotencyKey: string | null; replayed: boolean }[] = [];
  let baseUrl = '';
  const webhooks = createWebhookSender({ secret: o.webhookSecret, now, ...(o.enabledEvents ? { enabledEvents: o.enabledEvents } : {}) });
  if (o.webhookUrl) webhooks.state.url = o.webhookUrl;

  const store = createFakeStripeStore({
    now,
    baseUrl: () => baseUrl,
    emit: (type, object) => {
      const e: FakeEvent = {
        id: stripeId('evt').replace('_test', ''), object: 'event', api_version: Stripe.API_VERSION, type,
        created: Math.floor(now().getTime() / 1000), livemode: false, pending_webhooks: 1,
        request: { id: null, idempotency_key: null }, data: { object },
      };
      events.push(e);
      webhooks.emit(e);
    },
  });

  const route = (method: string, path: string, q: URLSearchParams, body: string): unknown => {
    const f = parseStripeForm(body);
    const m = (re: RegExp) => path.match(re)?.[1];
    let id: string | undefined;
    if (method === 'POST' && path === '/v1/customers') return store.createCustomer(f);
    if (method === 'GET' && (id = m(/^\/v1\/customers\/([^/]+)$/))) return store.retrieveCustomer(id);
    if (method === 'POST' && (id = m(/^\/v1\/payment_methods\/([^/]+)\/attach$/))) return store.attachPaymentMethod(id, f);
    if (method === 'GET' && (id = m(/^\/v1\/payment_methods\/([^/]+)$/))) return store.retrievePaymentMethod(id);
    if (method === 'POST' && path === '/v1/payment_intents') return store.createPaymentIntent(f);
    if (method === 'GET' && path === '/v1/payment_intents') return store.listPaymentIntents(q);
    if (method === 'GET' && path === '/v1/payment_intents/search') return store.searchPaymentIntents(q);
    if (method === 'GET' && (id = m(/^\/v1\/payment_intents\/([^/]+)$/))) return store.retrievePaymentIntent(id);
    if (method === 'GET' && path === '/v1/charges') return store.listCharges(q);
    if (method === 'POST' && path === '/v1/refunds') return store.createRefund(f);
    if (method === 'POST' && path === '/v1/checkout/sessions') return store.createCheckoutSession(f);
    if (method === 'POST' && (id = m(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/))) return store.expireCheckoutSession(id);
    if (method === 'GET' && (id = m(/^\/v1\/checkout\/sessions\/([^/]+)$/))) return store.retrieveCheckoutSession(id);
    throw new FakeStripeError(404, { type: 'invalid_request_error', message: `Unrecognized request URL (${method}: ${path}).` });
  };

  const answer = (res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomBytes(7).toString('hex')}`, ...extra });
    res.end(body);
  };

  const run = (method: string, path: string, q: URLSearchParams, body: string): { status: number; body: string } => {
    try {
      return { status: 200, body: JSON.stringify(route(method, path, q, body)) };
    } catch (e) {
      if (e instanceof FakeStripeError) return { status: e.status, body: JSON.stringify({ error: e.body }) };
      return { status: 500, body: JSON.stringify({ error: { type: 'api_error', message: String(e) } }) };
    }
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const body = await readRequestBody(req);
    if (req.headers.authorization !== `Bearer ${o.secretKey}`) {
      return answer(res, 401, JSON.stringify({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided.' } }));
    }
    const method = req.method ?? 'GET';
    const key = method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) ?? null : null;
    const fault = faults.take();
    const refuse = (status: number) => answer(res, status, JSON.stringify({ error: { type: 'api_error', message: 'An unexpected error occurred (simulated outage).' } }));
    if (await faults.before(fault, req, res, refuse)) return;
    const fingerprint = `${method} ${url.pathname} ${canonicalParams(body)}`;
    const prior = key ? idempotent.get(key) : undefined;
    const keyHeaders: Record<string, string> = key ? { 'idempotency-key': key } : {};
    if (prior) {
      requests.push({ method, path: url.pathname, idempotencyKey: key, replayed: true });
      if (prior.fingerprint !== fingerprint) {
        return answer(res, 400, JSON.stringify({ error: { type: 'idempotency_error',
          message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.` } }), keyHeaders);
      }
      if (!prior.done) {
        return answer(res, 409, JSON.stringify({ error: { type: 'invalid_request_error', code: 'idempotency_key_in_use',
          message: 'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ' + key } }), keyHeaders);
      }
      if (fault?.kind === 'network') return req.socket.destroy();
      return answer(res, prior.status, prior.body, { ...keyHeaders, 'idempotent-replayed': 'true', 'original-request': 'req_original' });
    }
    requests.push({ method, path: url.pathname, idempotencyKey: key, replayed: false });
    const slot: Stored = { fingerprint, status: 0, body: '', done: false };
    if (key) idempotent.set(key, slot);
    const out = run(method, url.pathname, url.searchParams, body);
    Object.assign(slot, out, { done: true });
    // why: Stripe saves no idempotent result when the request failed validation before it ran.
    if (key && out.status === 400) idempotent.delete(key);
    if (await faults.after(fault, req, res)) return;
    return answer(res, out.status, out.body, keyHeaders);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const page = url.pathname.match(/^\/checkout\/([^/]+)(\/pay)?$/);
    if (page) {
      const s = store.sessions.get(page[1]!);
      if (!s) return answer(res, 404, '{"error":{"message":"no such session"}}');
      if (req.method === 'POST' && page[2]) {
        await readRequestBody(req);
        try {
          store.completeCheckout(String(s.id));
        } catch {
          // the page shows the session's state either way
        }
        res.writeHead(303, { location: String(s.success_url ?? `${baseUrl}/checkout/${String(s.id)}`) });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end(renderCheckoutPage(s));
    }
    if (url.pathname.startsWith('/v1/')) return handleApi(req, res, url);
    return answer(res, 404, '{"error":{"message":"not found"}}');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) answer(res, 500, JSON.stringify({ error: { type: 'api_error', message: String(err) } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(o.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    /** What `createStripeClient({ endpoint })` needs to reach the fake. */
    endpoint: { host: '127.0.0.1', port, protocol: 'http' as const },
    secretKey: o.secretKey,
    webhookSecret: o.webhookSecret,
    counters: store.counters,
    events,
    deliveries: webhooks.deliveries as readonly Delivery[],
    requests,
    /** Queue a fault for the next API request(s). */
    failNext: faults.failNext,
    /** Drops every queued fault. */
    clearFaults: faults.clear,
    /**
     * Holds the next API request: `before` doing its work (if the client goes away meanwhile, it is
     * never done, as a request Stripe never received) or `after` it (the work is done, the answer
     * waits). Tests use it to kill a process while Stripe has its request.
     */
    holdNext: faults.holdNext,
    /** Search sees a PaymentIntent only this long after it was created (Stripe: "under 1 minute"); default 0. */
    setSearchLag: (ms: number) => void (store.search.lagMs = ms),
    /** The next confirmation(s) decline with these fields, whatever the card. */
    declineNext: (d: Omit<Extract<CardOutcome, { kind: 'decline' }>, 'kind'>, times = 1) => {
      for (let i = 0; i < times; i++) store.declineQueue.push({ kind: 'decline', ...d });
    },
    /** The customer pays a checkout session (default: the Visa test card). */
    completeCheckout: (sessionId: string, paymentMethod?: string) => store.completeCheckout(sessionId, paymentMethod),
    setWebhookUrl: (url: string) => void (webhooks.state.url = url),
    /** Off: events are only recorded; tests deliver them with `deliver`. */
    setAutoDeliver: (on: boolean) => void (webhooks.state.auto = on),
    deliver: (event: FakeEvent) => webhooks.deliver(event),
    /** The body and Stripe-Signature header the fake would send for an event. */
    signedRequest: webhooks.signedRequest,
    charges: () => [...store.charges.values()],
    idle: () => webhooks.idle(),
    close: async () => {
      await webhooks.idle().catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
