import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { AppError } from '../shared/app-error.js';
import type { Metrics } from '../shared/metrics.js';
import { parseOr400 } from '../shared/webhook-edge/parse-or-400.js';
import { handleCallStatus } from './handle-call-status.js';
import { handleInboundCall } from './handle-inbound-call.js';
import { handleVoiceInput } from './handle-voice-input.js';
import type { IvrDeps } from './ivr-deps.js';
import { handlePayStatus } from './handle-pay-status.js';
import { VOICE_HOLD_PATH, VOICE_PAY_STATUS_PATH, VOICE_TURN_PATH } from './render-voice-turn.js';
import { renderTechnicalError } from './twiml/render-call.js';
import { callStatusParams, payStatusParams, voiceCallParams, voiceInputParams, voiceTurnQuery } from './voice-params.js';
import { refusedTextOf } from '../shared/webhook-edge/clean-text.js';
import type { RouteInput } from '../shared/webhook-edge/route-input.js';

type RouteOpts = { deps: IvrDeps; metrics: Metrics; verifySignature: (req: FastifyRequest, reply: FastifyReply) => Promise<void> };

/**
 * The voice webhooks. Bad input is a 400 with the reason; any failure after
 * that answers the caller with an apology in TwiML, never a 500 or dead air.
 */
export const voiceRoutes = async (app: FastifyInstance, { deps, metrics, verifySignature }: RouteOpts) => {
  const speakSafely = async (reply: FastifyReply, request: FastifyRequest, run: () => Promise<string>, route: string) => {
    try {
      const twiml = await run();
      return reply.type('text/xml').send(twiml);
    } catch (err) {
      if (err instanceof AppError && err.statusCode < 500) throw err;
      request.log.error({ err }, 'voice turn failed; caller gets the technical-problem message');
      metrics.webhooks.inc({ route, outcome: 'failed' });
      return reply.type('text/xml').send(renderTechnicalError(deps.prompts, deps.defaultLocale, deps.insurerName));
    }
  };

  const twilio = (answers: RouteInput['answers'], input: Omit<RouteInput, 'auth' | 'answers'>) =>
    ({ preHandler: verifySignature, config: { input: { auth: 'twilio', answers, ...input } satisfies RouteInput } });

  app.post('/twilio/voice', twilio('call-twiml', { body: voiceCallParams }), async (request, reply) => {
    const params = parseOr400(voiceCallParams, request.body, 'voice webhook', 'IVR_BAD_PARAMS');
    return speakSafely(reply, request, async () => {
      const r = await handleInboundCall({ params, path: request.url, refused: refusedTextOf(request) }, deps);
      metrics.webhooks.inc({ route: 'voice', outcome: r.replayed ? 'replayed' : 'handled' });
      return r.body;
    }, 'voice');
  });

  app.post(VOICE_TURN_PATH, twilio('call-twiml', { body: voiceInputParams, query: voiceTurnQuery }), async (request, reply) => {
    const query = parseOr400(voiceTurnQuery, request.query, 'turn query', 'IVR_BAD_PARAMS');
    const params = parseOr400(voiceInputParams, request.body, 'voice input', 'IVR_BAD_PARAMS');
    return speakSafely(reply, request, async () => {
      const r = await handleVoiceInput({ params, query, path: request.url, refused: refusedTextOf(request) }, deps);
      metrics.webhooks.inc({ route: 'voice-turn', outcome: r.replayed ? 'replayed' : 'handled' });
      return r.body;
    }, 'voice-turn');
  });

  app.post(VOICE_HOLD_PATH, twilio('call-twiml', { body: voiceCallParams.partial() }), async (_request, reply) => {
    const v = deps.prompts.voice(deps.defaultLocale);
    const vr = new VoiceResponse();
    vr.say({ language: v.language as never, voice: v.voice as never }, deps.prompts.text(deps.defaultLocale, 'transfer.connecting', { insurer: deps.insurerName }));
    vr.play({ loop: 10 }, deps.holdMusicUrl);
    return reply.type('text/xml').send(vr.toString());
  });

  app.post(VOICE_PAY_STATUS_PATH, twilio('empty', { body: payStatusParams }), async (request, reply) => {
    const params = parseOr400(payStatusParams, request.body, 'pay status', 'IVR_BAD_PARAMS');
    await handlePayStatus({ params, path: request.url, refused: refusedTextOf(request) }, deps);
    return reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });

  app.post('/twilio/voice/status', twilio('empty', { body: callStatusParams }), async (request, reply) => {
    const params = parseOr400(callStatusParams, request.body, 'call status', 'IVR_BAD_PARAMS');
    await handleCallStatus({ params, path: request.url, refused: refusedTextOf(request) }, deps);
    metrics.webhooks.inc({ route: 'voice-status', outcome: 'handled' });
    return reply.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
};
