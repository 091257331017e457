import type { FastifyReply, FastifyRequest } from 'fastify';
import { validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { bodyAsReceived } from '../shared/webhook-edge/clean-text.js';

/**
 * Fastify preHandler: the request must carry a valid X-Twilio-Signature for
 * PUBLIC_BASE_URL + path (+ query), computed with our auth token over the
 * posted form params. Anything else gets 403 before any handler runs.
 */
export const requireTwilioSignature =
  (opts: { authToken: string; publicBaseUrl: string }) =>
  async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const signature = request.headers['x-twilio-signature'];
    // why: Twilio signed the params as sent; the edge may have cleaned them since (clean-text.ts).
    const body = bodyAsReceived(request);
    const params = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    const url = `${opts.publicBaseUrl}${request.url}`;
    const ok = typeof signature === 'string' && signature.length > 0 && validateRequest(opts.authToken, signature, url, params);
    if (!ok) {
      request.log.warn({ url: request.url, hasSignature: typeof signature === 'string' }, 'rejected unsigned or mis-signed Twilio webhook');
      await reply.code(403).type('application/json').send({
        error: 'SIGNATURE_INVALID',
        message: 'X-Twilio-Signature is missing or does not match this request',
      });
    }
  };
