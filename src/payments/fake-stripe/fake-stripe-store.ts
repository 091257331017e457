import { randomBytes } from 'node:crypto';
import { TEST_CARDS, type CardOutcome } from '../../shared/stripe-test-cards.js';
import { listOf, metadataOf, obj, str, type FormObject } from './form.js';
import { parseSearchQuery, searchPage } from './search-query.js';

type Obj = Record<string, unknown>;

/** A Stripe-shaped API error: HTTP status plus the `error` body. */
export class FakeStripeError extends Error {
  constructor(readonly status: number, readonly body: Obj) {
    super(String(body.message ?? 'error'));
  }
}

const invalid = (message: string, param?: string, code = 'parameter_invalid'): FakeStripeError =>
  new FakeStripeError(400, { type: 'invalid_request_error', code, message, ...(param ? { param } : {}) });
const missing = (what: string, id: string, status = 404): FakeStripeError =>
  new FakeStripeError(status, { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}: '${id}'` });

export const stripeId = (prefix: string): string => `${prefix}_test_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

/**
 * The fake's resources, kept in memory: customers, payment methods, payment
 * intents with their charges, refunds and checkout sessions, in the shapes
 * the SDK's types describe (only the fields we read and a few more). Every
 * change emits the event Stripe would send.
 */
export const createFakeStripeStore = (o: { now: () => Date; baseUrl: () => string; emit: (type: string, object: Obj) => void }) => {
  const customers = new Map<string, Obj>();
  const paymentMethods = new Map<string, Obj>();
  const paymentIntents = new Map<string, Obj>();
  const charges = new Map<string, Obj>();
  const refunds = new Map<string, Obj>();
  const sessions = new Map<string, Obj>();
  const declineQueue: CardOutcome[] = [];
  const counters = { chargesCreated: 0, chargesSucceeded: 0, refundsCreated: 0 };
  // why: Stripe's search is eventually consistent ("searchable in under 1 minute"); a test can set a lag to see code cope.
  const search = { lagMs: 0 };
  const createdAtMs = new Map<string, number>();
  const ts = () => Math.floor(o.now().getTime() / 1000);
  const clone = <T>(v: T): T => structuredClone(v);

  // why: like Stripe, a magic test id (pm_card_visa) makes a new PaymentMethod each time it is used;
  // the fake remembers which test card it came from to decide how charges end.
  const testCardOf = new Map<string, string>();
  const card = (pmId: string) => {
    const known = TEST_CARDS[pmId] ?? TEST_CARDS[testCardOf.get(pmId) ?? ''];
    if (known) return known;
    throw invalid(`No such PaymentMethod: '${pmId}'`, 'payment_method', 'resource_missing');
  };

  const paymentMethod = (id: string): Obj => {
    const existing = paymentMethods.get(id);
    if (existing) return existing;
    const c = TEST_CARDS[id];
    if (!c) throw missing('PaymentMethod', id);
    const pm: Obj = {
      id: stripeId('pm').replace('_test', ''), object: 'payment_method', type: 'card', created: ts(), customer: null, livemode: false, metadata: {},
      card: { brand: c.brand, last4: c.last4, exp_month: 12, exp_year: new Date(o.now()).getUTCFullYear() + 3, funding: 'credit', country: 'US' },
      billing_details: { name: null, email: null, phone: null, address: null },
    };
    paymentMethods.set(String(pm.id), pm);
    testCardOf.set(String(pm.id), id);
    return pm;
  };

  /** Creates the charge for a confirmation and moves the intent to its outcome. */
  const confirm = (pi: Obj, pmId: string): FakeStripeError | null => {
    const c = card(pmId);
    const outcome = declineQueue.shift() ?? c.outcome;
    const ch: Obj = {
      id: stripeId('ch'), object: 'charge', amount: pi.amount, amount_captured: 0, amount_refunded: 0, currency: pi.currency,
      created: ts(), customer: pi.customer, payment_intent: pi.id, payment_method: pmId, metadata: clone(pi.metadata),
      refunded: false, paid: false, captured: false, status: 'failed', failure_code: null, failure_message: null,
      outcome: null as Obj | null, payment_method_details: { type: 'card', card: { brand: c.brand, last4: c.last4 } }, livemode: false,
    };
    charges.set(String(ch.id), ch);
    counters.chargesCreated++;
    pi.latest_charge = ch.id;
    pi.payment_method = pmId;
    if (outcome.kind === 'approve') {
      Object.assign(ch, { status: 'succeeded', paid: true, captured: true, amount_captured: pi.amount,
        outcome: { type: 'authorized', network_status: 'approved_by_network', reason: null, advice_code: null } });
      Object.assign(pi, { status: 'succeeded', amount_received: pi.amount, last_payment_error: null });
      counters.chargesSucceeded++;
      o.emit('charge.succeeded', clone(ch));
      o.emit('payment_intent.succeeded', clone(pi));
      return null;
    }
    const err: Obj = {
      type: 'card_error', code: outcome.code, decline_code: outcome.declineCode, message: outcome.message,
      network_decline_code: outcome.networkDeclineCode ?? null, advice_code: outcome.adviceCode ?? null,
      network_advice_code: outcome.networkAdviceCode ?? null, charge: ch.id, payment_method: clone(paymentMethod(pmId)),
      doc_url: `https://docs.stripe.com/error-codes/${outcome.code.replace(/_/g, '-')}`,
    };
    Object.assign(ch, { failure_code: outcome.code, failure_message: outcome.message,
      outcome: { type: 'issuer_declined', network_status: 'declined_by_network', reason: outcome.declineCode, advice_code: outcome.adviceCode ?? null } });
    Object.assign(pi, { status: 'requires_payment_method', last_payment_error: err });
    o.emit('charge.failed', clone(ch));
    o.emit('payment_intent.payment_failed', clone(pi));
    return new FakeStripeError(402, { ...err, payment_intent: clone(pi) });
  };

  const list = (all: Map<string, Obj>, q: URLSearchParams, path: string, filter: (x: Obj) => boolean = () => true) => {
    const gte = q.get('created[gte]');
    const limit = Math.min(100, Number(q.get('limit') ?? 10));
    const after = q.get('starting_after');
    // Newest first, like Stripe.
    let items = [...all.values()].filter((x) => (gte ? Number(x.created) >= Number(gte) : true) && filter(x)).reverse();
    if (after) items = items.slice(items.findIndex((x) => x.id === after) + 1);
    return { object: 'list', url: path, has_more: items.length > limit, data: items.slice(0, limit).map(clone) };
  };

  const completeCheckout = (id: string, pmId = 'pm_card_visa'): Obj => {
    const s = sessions.get(id);
    if (!s) throw missing('checkout.session', id);
    if (s.status !== 'open') throw invalid(`This Checkout Session is ${String(s.status)}.`, undefined, 'checkout_session_not_open');
    const pi: Obj = {
      id: stripeId('pi'), object: 'payment_intent', amount: s.amount_total, amount_received: 0, currency: s.currency,
      created: ts(), customer: s.customer ?? null, description: null, status: 'requires_confirmation', livemode: false,
      metadata: clone(s.payment_intent_metadata ?? {}), last_payment_error: null, latest_charge: null, payment_method: null,
      off_session: null, confirm: true,
    };
    paymentIntents.set(String(pi.id), pi);
    createdAtMs.set(String(pi.id), o.now().getTime());
    const err = confirm(pi, String(paymentMethod(pmId).id));
    if (err) throw err;
    Object.assign(s, { status: 'complete', payment_status: 'paid', payment_intent: pi.id });
    o.emit('checkout.session.completed', clone(s));
    return clone(s);
  };

  return {
    counters,
    search,
    declineQueue,
    charges,
    sessions,
    completeCheckout,

    createCustomer: (f: FormObject) => {
      const c = { id: stripeId('cus').replace('_test', ''), object: 'customer', created: ts(), name: str(f, 'name') ?? null,
        email: str(f, 'email') ?? null, metadata: metadataOf(f), livemode: false };
      customers.set(c.id, c);
      return clone(c);
    },
    retrieveCustomer: (id: string) => clone(customers.get(id) ?? (() => { throw missing('customer', id); })()),

    attachPaymentMethod: (id: string, f: FormObject) => {
      const customer = str(f, 'customer');
      if (!customer || !customers.has(customer)) throw invalid(`No such customer: '${customer ?? ''}'`, 'customer', 'resource_missing');
      const pm = paymentMethod(id);
      pm.customer = customer;
      o.emit('payment_method.attached', clone(pm));
      return clone(pm);
    },
    retrievePaymentMethod: (id: string) => clone(paymentMethod(id)),

    createPaymentIntent: (f: FormObject) => {
      const amount = Number(str(f, 'amount'));
      if (!Number.isInteger(amount) || amount < 50) throw invalid('Amount must be at least 50 cents', 'amount');
      const currency = str(f, 'currency');
      if (!currency) throw invalid('Missing required param: currency.', 'currency', 'parameter_missing');
      const customer = str(f, 'customer') ?? null;
      if (customer && !customers.has(customer)) throw invalid(`No such customer: '${customer}'`, 'customer', 'resource_missing');
      const pmId = (() => {
        const given = str(f, 'payment_method');
        return given && TEST_CARDS[given] ? String(paymentMethod(given).id) : given;
      })();
      const pi: Obj = {
        id: stripeId('pi'), object: 'payment_intent', amount, amount_received: 0, currency, created: ts(), customer,
        description: str(f, 'description') ?? null, metadata: metadataOf(f), status: 'requires_payment_method',
        last_payment_error: null, latest_charge: null, payment_method: pmId ?? null, livemode: false,
      };
      if (pmId) card(pmId);
      paymentIntents.set(String(pi.id), pi);
      createdAtMs.set(String(pi.id), o.now().getTime());
      o.emit('payment_intent.created', clone(pi));
      if (str(f, 'confirm') === 'true') {
        if (!pmId) throw invalid('You must provide a payment_method to confirm.', 'payment_method', 'parameter_missing');
        const err = confirm(pi, pmId);
        if (err) throw err;
      } else if (pmId) pi.status = 'requires_confirmation';
      return clone(pi);
    },
    retrievePaymentIntent: (id: string) => clone(paymentIntents.get(id) ?? (() => { throw missing('payment_intent', id); })()),
    listPaymentIntents: (q: URLSearchParams) => list(paymentIntents, q, '/v1/payment_intents'),
    searchPaymentIntents: (q: URLSearchParams) => {
      const query = q.get('query');
      if (!query) throw invalid('Missing required param: query.', 'query', 'parameter_missing');
      const match = parseSearchQuery(query, ['amount', 'created', 'currency', 'customer', 'metadata', 'status']);
      const indexedBefore = o.now().getTime() - search.lagMs;
      const found = [...paymentIntents.values()].filter((pi) => (createdAtMs.get(String(pi.id)) ?? 0) <= indexedBefore && match(pi));
      return searchPage(found, q, '/v1/payment_intents/search');
    },
    listCharges: (q: URLSearchParams) =>
      list(charges, q, '/v1/charges', (c) => !q.get('payment_intent') || c.payment_intent === q.get('payment_intent')),

    createRefund: (f: FormObject) => {
      const piId = str(f, 'payment_intent');
      const pi = piId ? paymentIntents.get(piId) : undefined;
      const ch = pi ? charges.get(String(pi.latest_charge)) : charges.get(str(f, 'charge') ?? '');
      if (!ch || ch.status !== 'succeeded') throw invalid('This payment has no successful charge to refund.', 'payment_intent', 'resource_missing');
      const remaining = Number(ch.amount) - Number(ch.amount_refunded);
      if (remaining === 0) throw invalid(`Charge ${String(ch.id)} has already been refunded.`, undefined, 'charge_already_refunded');
      const amount = str(f, 'amount') === undefined ? remaining : Number(str(f, 'amount'));
      if (!Number.isInteger(amount) || amount <= 0) throw invalid('Invalid positive integer', 'amount');
      if (amount > remaining) {
        throw invalid(`Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${(remaining / 100).toFixed(2)})`, 'amount', 'amount_too_large');
      }
      const reason = str(f, 'reason') ?? null;
      if (reason && !['duplicate', 'fraudulent', 'requested_by_customer'].includes(reason)) throw invalid(`Invalid reason: ${reason}`, 'reason');
      const re = { id: stripeId('re').replace('_test', ''), object: 'refund', amount, charge: ch.id, payment_intent: ch.payment_intent,
        currency: ch.currency, created: ts(), reason, status: 'succeeded', metadata: metadataOf(f) };
      refunds.set(re.id, re);
      counters.refundsCreated++;
      ch.amount_refunded = Number(ch.amount_refunded) + amount;
      ch.refunded = ch.amount_refunded === ch.amount;
      o.emit('refund.created', clone(re));
      o.emit('charge.refunded', clone(ch));
      return clone(re);
    },

    createCheckoutSession: (f: FormObject) => {
      if (str(f, 'mode') !== 'payment') throw invalid('Only mode=payment is supported by the fake.', 'mode');
      const items = listOf(f, 'line_items');
      let amount = 0;
      let currency = '';
      for (const it of items) {
        if (typeof it !== 'object') continue;
        const pd = obj(it, 'price_data');
        amount += Number(str(pd, 'unit_amount') ?? 0) * Number(str(it, 'quantity') ?? 1);
        currency = str(pd, 'currency') ?? currency;
      }
      if (amount <= 0 || !currency) throw invalid('line_items need price_data with unit_amount and currency', 'line_items');
      const id = stripeId('cs');
      const s: Obj = {
        id, object: 'checkout.session', mode: 'payment', status: 'open', payment_status: 'unpaid', amount_total: amount, currency,
        created: ts(), expires_at: Number(str(f, 'expires_at') ?? ts() + 86_400), client_reference_id: str(f, 'client_reference_id') ?? null,
        customer: str(f, 'customer') ?? null, metadata: metadataOf(f), payment_intent: null, success_url: str(f, 'success_url') ?? null,
        cancel_url: str(f, 'cancel_url') ?? null, url: `${o.baseUrl()}/checkout/${id}`, livemode: false,
        payment_intent_metadata: metadataOf(obj(f, 'payment_intent_data')),
      };
      sessions.set(id, s);
      return publicSession(s);
    },
    retrieveCheckoutSession: (id: string) => publicSession(sessions.get(id) ?? (() => { throw missing('checkout.session', id); })()),
    expireCheckoutSession: (id: string) => {
      const s = sessions.get(id);
      if (!s) throw missing('checkout.session', id);
      if (s.status !== 'open') throw invalid(`Only Checkout Sessions with a status of open can be expired.`, undefined, 'checkout_session_not_open');
      Object.assign(s, { status: 'expired', url: null });
      o.emit('checkout.session.expired', publicSession(s));
      return publicSession(s);
    },
  };
};

/** What the API shows of a session (the fake's private fields stripped). */
const publicSession = (s: Obj): Obj => {
  const { payment_intent_metadata: _hidden, ...rest } = s;
  return structuredClone(rest);
};

export type FakeStripeStore = ReturnType<typeof createFakeStripeStore>;
