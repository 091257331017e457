import type { FastifyInstance } from 'fastify';
import Stripe from 'stripe';
import { z } from 'zod';
import { AppError } from '../shared/app-error.js';
import { maskCardsIn } from '../shared/redact.js';
import { cleanValue } from '../shared/webhook-edge/clean-text.js';
import { handleStripeEvent } from './handle-stripe-event.js';
import type { PaymentsDeps } from './payments-deps.js';

/** What a Stripe event carries that the gateway reads (the SDK checks the signature on the raw bytes first). */
const stripeEventShape = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.looseObject({ object: z.looseObject({ id: z.string().min(1) }) }),
});
/** The page a pay link returns to; any other word is a 404 page. */
const payResultParams = z.object({ result: z.enum(['done', 'cancelled']) });

const escapeHtml = (v: string): string =>
  v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * Stripe's webhook endpoint and the pay-link landing pages, as an
 * encapsulated plugin: its raw-body JSON parser applies to these routes only.
 * The signature is checked on the exact bytes received with Stripe's default
 * 300 s tolerance, measured on our clock; a bad or missing one is a 400
 * `PAY_SIGNATURE_INVALID` before anything is read or written.
 */
export const createStripeWebhookPlugin =
  (deps: PaymentsDeps & { webhookSecret: string }) =>
  async (app: FastifyInstance): Promise<void> => {
    app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    app.post('/stripe/webhook', { config: { input: { auth: 'stripe', answers: 'json', body: stripeEventShape } } }, async (request, reply) => {
      const header = request.headers['stripe-signature'];
      let event: Stripe.Event;
      try {
        if (typeof header !== 'string' || !Buffer.isBuffer(request.body)) throw new Error('missing signature or body');
        event = Stripe.webhooks.constructEvent(request.body, header, deps.webhookSecret, undefined, undefined, deps.clock.now().getTime());
      } catch {
        throw new AppError('PAY_SIGNATURE_INVALID', 'Stripe signature missing or invalid');
      }
      // The raw body skipped the edge's hygiene (its signature covers the bytes): the parsed event gets it here.
      event = maskCardsIn(cleanValue(event, 'body', [])) as Stripe.Event;
      const shape = stripeEventShape.safeParse(event);
      if (!shape.success) {
        throw new AppError('PAY_BAD_EVENT', `Stripe event is missing ${shape.error.issues.map((i) => i.path.join('.') || 'fields').join(', ')}`);
      }
      const outcome = await handleStripeEvent(event, deps);
      request.log.info({ eventId: event.id, type: event.type, outcome }, 'stripe event');
      return reply.code(200).send({ received: true, ...outcome });
    });

    // why: constant wording only; the query is echoed nowhere but the escaped result word.
    app.get('/pay/:result', { config: { input: { auth: 'public', answers: 'html', params: payResultParams } } }, async (request, reply) => {
      const result = (request.params as { result: string }).result;
      const text = result === 'done'
        ? 'Thank you. Your payment was received; a confirmation will follow by text message.'
        : result === 'cancelled'
          ? 'Your payment was not made. You can use the same link again until it expires, or call us any time.'
          : 'This page does not exist.';
      return reply
        .code(result === 'done' || result === 'cancelled' ? 200 : 404)
        .type('text/html; charset=utf-8')
        .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(deps.config.insurerName)}</title></head>` +
          `<body><h1>${escapeHtml(deps.config.insurerName)}</h1><p>${escapeHtml(text)}</p></body></html>`);
    });
  };
