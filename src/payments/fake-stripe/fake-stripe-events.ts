import Stripe from 'stripe';

/** An event in Stripe's v1 shape (`{ id, object: 'event', type, created, data: { object } }`). */
export type FakeEvent = {
  id: string;
  object: 'event';
  api_version: string;
  type: string;
  created: number;
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  data: { object: Record<string, unknown> };
};

export type Delivery = { eventId: string; type: string; status: number | 'error' };

/**
 * Signs and posts events to the gateway's webhook URL like Stripe does:
 * JSON body, `Stripe-Signature: t=<unix>,v1=<hmac>` over `t.body` with the
 * endpoint secret. With `auto` on (the default) every event is delivered as
 * it happens, retried a few times on failure; tests turn it off to deliver
 * by hand, twice or out of order. Like a Stripe webhook endpoint, it sends
 * only the event types it is enabled for (`*`: all); the others are still
 * recorded as events.
 */
export const createWebhookSender = (o: { secret: string; now: () => Date; enabledEvents?: readonly string[] }) => {
  const enabled = new Set(o.enabledEvents ?? ['*']);
  const pending = new Set<Promise<unknown>>();
  const state = { url: null as string | null, auto: true };
  const deliveries: Delivery[] = [];

  const signedRequest = (event: FakeEvent, at: Date = o.now()) => {
    const payload = JSON.stringify(event, null, 2);
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: o.secret, timestamp: Math.floor(at.getTime() / 1000) });
    return { payload, header };
  };

  const deliver = async (event: FakeEvent): Promise<number | 'error'> => {
    if (!state.url) throw new Error('fake stripe: no webhook url set');
    const { payload, header } = signedRequest(event);
    let status: number | 'error';
    try {
      const res = await fetch(state.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
        body: payload,
      });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      status = 'error';
    }
    deliveries.push({ eventId: event.id, type: event.type, status });
    return status;
  };

  const deliverWithRetries = async (event: FakeEvent): Promise<void> => {
    for (let attempt = 0; attempt < 4; attempt++) {
      const s = await deliver(event);
      if (typeof s === 'number' && s >= 200 && s < 300) return;
      await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
    }
  };

  return {
    state,
    deliveries,
    signedRequest,
    /** Posts one event now and returns the HTTP status the gateway answered. */
    deliver,
    emit: (event: FakeEvent): void => {
      if (!state.auto || !state.url || !(enabled.has('*') || enabled.has(event.type))) return;
      const p = deliverWithRetries(event).finally(() => pending.delete(p));
      pending.add(p);
    },
    idle: async (): Promise<void> => {
      while (pending.size) await Promise.all([...pending]);
    },
  };
};

export type WebhookSender = ReturnType<typeof createWebhookSender>;
