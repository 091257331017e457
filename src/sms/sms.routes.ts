import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import MessagingResponse from 'twilio/lib/twiml/MessagingResponse.js';
import { AppError } from '../shared/app-error.js';
import { parseOr400 } from '../shared/webhook-edge/parse-or-400.js';
import type { Metrics } from '../shared/metrics.js';
import { handleInboundSms } from './handle-inbound-sms.js';
import { handleSmsStatus } from './handle-sms-status.js';
import type { SmsDeps } from './sms-deps.js';
import { inboundSmsParams, smsStatusParams, smsStatusQuery } from './sms-params.js';
import { refusedTextOf } from '../shared/webhook-edge/clean-text.js';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';

type RouteOpts = { deps: SmsDeps; metrics: Metrics; verifySignature: (req: FastifyRequest, reply: FastifyReply) => Promise<void> };

/**
 * The SMS webhooks. Bad input is a 400 with the reason; an inbound text that fails after that
 * (Postgres down) is answered with an apology asking to text again, never a 500.
 */
export const smsRoutes = async (app: FastifyInstance, { deps, metrics, verifySignature }: RouteOpts) => {
  const twilio = (answers: RouteInput['answers'], body: RouteInput['body'], query?: RouteInput['query']) =>
    ({ preHandler: verifySignature, config: { input: { auth: 'twilio', answers, body, ...(query ? { query } : {}) } satisfies RouteInput } });

  app.post('/twilio/sms', twilio('sms-twiml', inboundSmsParams), async (request, reply) => {
    const params = parseOr400(inboundSmsParams, request.body, 'message webhook', 'SMS_BAD_PARAMS');
    try {
      const r = await handleInboundSms({ params, path: request.url, refused: refusedTextOf(request) }, deps);
      metrics.webhooks.inc({ route: 'sms', outcome: r.replayed ? 'replayed' : 'handled' });
      return reply.type('text/xml').send(r.body);
    } catch (err) {
      if (err instanceof AppError && err.statusCode < 500) throw err;
      // why: a 500 leaves the texter with no answer at all (Twilio does not retry an inbound message).
      request.log.error({ err }, 'inbound SMS failed; the texter gets the technical-problem reply');
      metrics.webhooks.inc({ route: 'sms', outcome: 'failed' });
      const mr = new MessagingResponse();
      mr.message(deps.smsCatalog.text(deps.defaultLocale, 'technicalProblem', { insurer: deps.insurerName }));
      return reply.type('text/xml').send(mr.toString());
    }
  });

  app.post('/twilio/sms/status', twilio('empty', smsStatusParams, smsStatusQuery), async (request, reply) => {
    const query = parseOr400(smsStatusQuery, request.query, 'message status query', 'SMS_BAD_PARAMS');
    const params = parseOr400(smsStatusParams, request.body, 'message status', 'SMS_BAD_PARAMS');
    await handleSmsStatus({ params, outboxId: query.o ?? null, path: request.url, refused: refusedTextOf(request) }, deps);
    metrics.webhooks.inc({ route: 'sms-status', outcome: 'handled' });
    return reply.code(204).send();
  });
};
