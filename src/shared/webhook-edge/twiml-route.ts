import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../app-error.js';
import type { Metrics } from '../metrics.js';
import type { RouteAnswer, RouteInput } from './route-input.js';

type VerifySignature = (req: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Options of a signed Twilio webhook route: the signature checked before anything runs, and its declared input (route-input.ts). */
export const twilioRouteOptions = (verifySignature: VerifySignature) =>
  (answers: RouteAnswer, input: Omit<RouteInput, 'auth' | 'answers'>) =>
    ({ preHandler: verifySignature, config: { input: { auth: 'twilio', answers, ...input } satisfies RouteInput } });

/**
 * Answers the TwiML `run` renders. Bad input (an AppError under 500) stays a 4xx; any other failure is
 * logged, counted and answered with `apology()`, TwiML that says sorry and hangs up: never a 500 or dead air on a call.
 */
export const answerTwiml = async (
  request: FastifyRequest,
  reply: FastifyReply,
  o: { metrics: Metrics; route: string; apology: () => string; failure: string },
  run: () => Promise<string>,
) => {
  try {
    const body = await run();
    o.metrics.webhooks.inc({ route: o.route, outcome: 'handled' });
    return reply.type('text/xml').send(body);
  } catch (err) {
    if (err instanceof AppError && err.statusCode < 500) throw err;
    request.log.error({ err }, o.failure);
    o.metrics.webhooks.inc({ route: o.route, outcome: 'failed' });
    return reply.type('text/xml').send(o.apology());
  }
};

/** An empty TwiML answer (a callback whose answer Twilio ignores). */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
