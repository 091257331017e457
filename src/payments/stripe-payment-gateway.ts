import Stripe from 'stripe';
import { AppError } from '../shared/app-error.js';
import type { ChargeResult, PaymentFailure, PaymentGateway, ProviderPayment } from './payment-gateway.js';

export type StripeGatewayOptions = {
  secretKey: string;
  /** Set to reach the loopback fake (`{ host: '127.0.0.1', port, protocol: 'http' }`); absent means api.stripe.com. */
  endpoint?: { host: string; port: number; protocol: 'http' | 'https' };
  /** SDK retries on connection errors, 409 and 5xx, resending the same Idempotency-Key (default 2). */
  maxNetworkRetries?: number;
  /** Per-request timeout in ms (default 20 s; Stripe's own default of 80 s is too long for a phone turn). */
  timeoutMs?: number;
};

/** Builds the SDK client; the only place that knows how to aim it at the fake. */
export const createStripeClient = (o: StripeGatewayOptions): Stripe =>
  new Stripe(o.secretKey, {
    ...(o.endpoint ?? {}),
    maxNetworkRetries: o.maxNetworkRetries ?? 2,
    timeout: o.timeoutMs ?? 20_000,
    telemetry: false,
  });

const failureOf = (e: {
  code?: string; decline_code?: string; network_decline_code?: string; advice_code?: string; network_advice_code?: string; message?: string;
}): PaymentFailure => ({
  code: e.code || null,
  declineCode: e.decline_code || null,
  networkDeclineCode: e.network_decline_code || null,
  adviceCode: e.advice_code || null,
  networkAdviceCode: e.network_advice_code || null,
  message: e.message ?? 'declined',
});

/**
 * Maps SDK errors onto the port's contract: card errors are results (handled
 * by the caller), connection/5xx/rate-limit errors become PAY_PROVIDER_UNAVAILABLE
 * (retry with the same key), idempotency misuse and invalid requests are ours to fix.
 */
const toAppError = (err: unknown, what: string): AppError => {
  if (err instanceof Stripe.errors.StripeIdempotencyError) {
    return new AppError('PAY_IDEMPOTENCY_MISMATCH', `${what}: ${err.message}`, { requestId: err.requestId });
  }
  if (err instanceof Stripe.errors.StripeInvalidRequestError || err instanceof Stripe.errors.StripeAuthenticationError ||
      err instanceof Stripe.errors.StripePermissionError) {
    return new AppError('PAY_PROVIDER_REJECTED', `${what}: ${err.message}`, { code: err.code, requestId: err.requestId });
  }
  const e = err as { message?: string; requestId?: string };
  return new AppError('PAY_PROVIDER_UNAVAILABLE', `${what}: Stripe unreachable (${e.message ?? 'unknown error'})`, { requestId: e.requestId });
};

const guard = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (err) {
    throw toAppError(err, what);
  }
};

const paymentStatus = (s: string): ProviderPayment['status'] =>
  s === 'succeeded' ? 'succeeded' : s === 'processing' ? 'processing' : s === 'requires_payment_method' ? 'failed' : 'other';

/** A PaymentIntent as a charge result: a confirmed intent that is neither succeeded nor processing has failed. */
const resultOf = (pi: Stripe.PaymentIntent): ChargeResult => {
  if (pi.status === 'succeeded') {
    const chargeId = typeof pi.latest_charge === 'string' ? pi.latest_charge : (pi.latest_charge?.id ?? null);
    return { status: 'succeeded', paymentId: pi.id, chargeId, amountCents: pi.amount_received, currency: pi.currency };
  }
  if (pi.status === 'processing') return { status: 'processing', paymentId: pi.id };
  const lpe = pi.last_payment_error;
  return {
    status: 'failed',
    paymentId: pi.id,
    failure: lpe ? failureOf(lpe) : { code: pi.status, declineCode: null, networkDeclineCode: null, adviceCode: null, networkAdviceCode: null, message: `payment ${pi.status}` },
  };
};

/** The PaymentGateway on the stripe SDK (real Stripe or the loopback fake: same code path). */
export const createStripePaymentGateway = (stripe: Stripe): PaymentGateway => ({
  provider: 'stripe',

  ensureCustomer: ({ policyholderId, name, email, idempotencyKey }) =>
    guard('create customer', async () => {
      const c = await stripe.customers.create(
        { name, ...(email ? { email } : {}), metadata: { policyholder_id: policyholderId } },
        { idempotencyKey },
      );
      return { customerId: c.id };
    }),

  attachPaymentMethod: ({ customerId, paymentMethodId, idempotencyKey }) =>
    guard('attach payment method', async () => {
      const pm = await stripe.paymentMethods.attach(paymentMethodId, { customer: customerId }, { idempotencyKey });
      // why: only brand and last4 leave this function; expiry and fingerprint stay at Stripe.
      return { paymentMethodId: pm.id, brand: pm.card?.brand ?? null, last4: pm.card?.last4 ?? null };
    }),

  chargeOffSession: async (r): Promise<ChargeResult> => {
    try {
      const pi = await stripe.paymentIntents.create(
        {
          amount: r.amountCents,
          currency: r.currency,
          customer: r.customerId,
          payment_method: r.paymentMethodId,
          off_session: true,
          confirm: true,
          ...(r.description ? { description: r.description } : {}),
          metadata: r.metadata,
        },
        { idempotencyKey: r.idempotencyKey },
      );
      return resultOf(pi);
    } catch (err) {
      if (err instanceof Stripe.errors.StripeCardError) {
        const raw = err.raw as { payment_intent?: { id?: string } };
        return { status: 'failed', paymentId: raw.payment_intent?.id ?? null, failure: failureOf(err) };
      }
      throw toAppError(err, 'charge');
    }
  },

  findCharge: ({ attemptId, paymentId }) =>
    guard('find charge', async () => {
      if (paymentId) return resultOf(await stripe.paymentIntents.retrieve(paymentId));
      // why: attempt ids are UUIDs (no quotes to escape). One key makes one intent; should several carry
      // the id, a success is what matters.
      const found = await stripe.paymentIntents.search({ query: `metadata['attempt_id']:'${attemptId}'`, limit: 10 });
      const pi = found.data.find((p) => p.status === 'succeeded') ?? found.data[0];
      return pi ? resultOf(pi) : null;
    }),

  createPayLink: (r) =>
    guard('create pay link', async () => {
      const s = await stripe.checkout.sessions.create(
        {
          mode: 'payment',
          line_items: [
            { quantity: 1, price_data: { currency: r.currency, unit_amount: r.amountCents, product_data: { name: r.description } } },
          ],
          client_reference_id: r.dueId,
          success_url: r.successUrl,
          cancel_url: r.cancelUrl,
          expires_at: Math.floor(r.expiresAt.getTime() / 1000),
          metadata: r.metadata,
          payment_intent_data: { metadata: r.metadata },
        },
        { idempotencyKey: r.idempotencyKey },
      );
      if (!s.url) throw new AppError('PAY_PROVIDER_REJECTED', 'checkout session has no url');
      return { id: s.id, url: s.url, expiresAt: new Date(s.expires_at * 1000) };
    }),

  expirePayLink: (id) =>
    guard('expire pay link', async () => {
      const s = await stripe.checkout.sessions.retrieve(id);
      if (s.status === 'open') await stripe.checkout.sessions.expire(id);
    }),

  refund: (r) =>
    guard('refund', async () => {
      const re = await stripe.refunds.create(
        { payment_intent: r.paymentId, amount: r.amountCents, reason: r.reason, metadata: r.metadata },
        { idempotencyKey: r.idempotencyKey },
      );
      const status = re.status === 'succeeded' ? 'succeeded' : re.status === 'failed' || re.status === 'canceled' ? 'failed' : 'pending';
      return { refundId: re.id, status, amountCents: re.amount };
    }),

  listRecentPayments: (since) =>
    guard('list payments', async () => {
      const created = { gte: Math.floor(since.getTime() / 1000) };
      const refunded = new Map<string, number>();
      for await (const ch of stripe.charges.list({ created, limit: 100 })) {
        const pi = typeof ch.payment_intent === 'string' ? ch.payment_intent : ch.payment_intent?.id;
        if (pi) refunded.set(pi, (refunded.get(pi) ?? 0) + ch.amount_refunded);
      }
      const out: ProviderPayment[] = [];
      for await (const pi of stripe.paymentIntents.list({ created, limit: 100 })) {
        out.push({
          paymentId: pi.id,
          status: paymentStatus(pi.status),
          amountCents: pi.status === 'succeeded' ? pi.amount_received : pi.amount,
          amountRefundedCents: refunded.get(pi.id) ?? 0,
          currency: pi.currency,
          created: new Date(pi.created * 1000),
          metadata: { ...(pi.metadata ?? {}) },
        });
      }
      return out;
    }),
});
