import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseOr400 } from '../shared/webhook-edge/parse-or-400.js';
import type { Metrics } from '../shared/metrics.js';
import { handleInboundSms } from './handle-inbound-sms.js';
import { handleSmsStatus } from './handle-sms-status.js';
import type { SmsDeps } from './sms-deps.js';
import { inboundSmsParams, smsStatusParams } from './sms-params.js';
import { refusedTextOf } from '../shared/webhook-edge/clean-text.js';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';

type RouteOpts = { deps: SmsDeps; metrics: Metrics; verifySignature: (req: FastifyRequest, reply: FastifyReply) => Promise<void> };

export const smsRoutes = async (app: FastifyInstance, { deps, metrics, verifySignature }: RouteOpts) => {
  const twilio = (answers: RouteInput['answers'], body: RouteInput['body']) =>
    ({ preHandler: verifySignature, config: { input: { auth: 'twilio', answers, body } satisfies RouteInput } });

  app.post('/twilio/sms', twilio('sms-twiml', inboundSmsParams), async (request, reply) => {
    const params = parseOr400(inboundSmsParams, request.body, 'message webhook', 'SMS_BAD_PARAMS');
    const r = await handleInboundSms({ params, path: request.url, refused: refusedTextOf(request) }, deps);
    metrics.webhooks.inc({ route: 'sms', outcome: r.replayed ? 'replayed' : 'handled' });
    return reply.type('text/xml').send(r.body);
  });

  app.post('/twilio/sms/status', twilio('empty', smsStatusParams), async (request, reply) => {
    const params = parseOr400(smsStatusParams, request.body, 'message status', 'SMS_BAD_PARAMS');
    await handleSmsStatus({ params, path: request.url, refused: refusedTextOf(request) }, deps);
    metrics.webhooks.inc({ route: 'sms-status', outcome: 'handled' });
    return reply.code(204).send();
  });
};
