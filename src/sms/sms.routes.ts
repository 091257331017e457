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
import { classifyKeyword, type Keyword } from './classify-keyword.js';
import type { WebhookSpool } from './spool/webhook-spool.js';

const KEYWORD_REPLY: Record<NonNullable<Keyword>, string> = { 'opt-out': 'optOut', 'opt-in': 'optIn', help: 'help' };

type RouteOpts = {
  deps: SmsDeps;
  metrics: Metrics;
  verifySignature: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Where webhooks go that cannot be applied now (Postgres down); without one they are answered as failed. */
  spool?: WebhookSpool;
};

/** A keyword's own language: the Spanish ones answer in Spanish, the rest in the default locale. */
const SPANISH_KEYWORDS = /^(PARAR|ALTO|AYUDA|SI|SÍ)$/;

/**
 * The SMS webhooks. Bad input is a 400 with the reason. When Postgres is down: a keyword (STOP,
 * START, HELP and the rest) is spooled in Redis and answered with its confirmation at once (a
 * worker applies it when Postgres is back, with the time it came), any other text is answered with
 * an apology asking to text again; a delivery callback is spooled and acknowledged. Never a 500
 * unless Redis is down as well.
 */
export const smsRoutes = async (app: FastifyInstance, { deps, metrics, verifySignature, spool }: RouteOpts) => {
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
      const keyword = classifyKeyword(params.Body);
      const receivedAt = new Date().toISOString();
      const spooled = keyword && spool
        ? await spool.put({ kind: 'inbound-sms', params, path: request.url, receivedAt }).then(() => true, (e: unknown) => {
          request.log.error({ err: e }, 'the keyword could not be spooled either');
          return false;
        })
        : false;
      if (spooled && keyword) {
        // why: an opt-out takes effect at once and is confirmed once; the spool makes it so when Postgres is back.
        const word = params.Body.normalize('NFC').toUpperCase().replace(/[^\p{L}]/gu, '');
        const locale = SPANISH_KEYWORDS.test(word) ? 'es-US' : deps.defaultLocale;
        mr.message(deps.smsCatalog.text(locale, KEYWORD_REPLY[keyword], { insurer: deps.insurerName }));
        metrics.webhooks.inc({ route: 'sms', outcome: 'spooled' });
      } else {
        mr.message(deps.smsCatalog.text(deps.defaultLocale, 'technicalProblem', { insurer: deps.insurerName }));
      }
      return reply.type('text/xml').send(mr.toString());
    }
  });

  app.post('/twilio/sms/status', twilio('empty', smsStatusParams, smsStatusQuery), async (request, reply) => {
    const query = parseOr400(smsStatusQuery, request.query, 'message status query', 'SMS_BAD_PARAMS');
    const params = parseOr400(smsStatusParams, request.body, 'message status', 'SMS_BAD_PARAMS');
    try {
      await handleSmsStatus({ params, outboxId: query.o ?? null, path: request.url, refused: refusedTextOf(request) }, deps);
      metrics.webhooks.inc({ route: 'sms-status', outcome: 'handled' });
    } catch (err) {
      if (!spool || (err instanceof AppError && err.statusCode < 500)) throw err;
      request.log.error({ err }, 'delivery status not applied now; spooled for a worker');
      // why: Twilio does not retry a status callback it got a 5xx for; the spool keeps it (or the 500 stands if Redis is down too).
      await spool.put({ kind: 'sms-status', params, outboxId: query.o ?? null, path: request.url, receivedAt: new Date().toISOString() });
      metrics.webhooks.inc({ route: 'sms-status', outcome: 'spooled' });
    }
    return reply.code(204).send();
  });
};
