import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { z } from 'zod';
import { voiceInputParams } from '../../ivr/voice-params.js';
import { renderTechnicalError } from '../../ivr/twiml/render-call.js';
import { AppError } from '../../shared/app-error.js';
import type { Metrics } from '../../shared/metrics.js';
import { refusedTextOf } from '../../shared/webhook-edge/clean-text.js';
import { parseOr400 } from '../../shared/webhook-edge/parse-or-400.js';
import type { RouteInput } from '../../shared/webhook-edge/route-input.js';
import { handleRetentionInput, NoRetentionCase } from './handle-retention-input.js';
import { RETENTION_TURN_PATH } from './render-retention-turn.js';
import type { RetentionVoiceDeps } from './retention-voice-deps.js';
import { RETENTION_EXPECTS } from './retention-turn.js';

export const retentionTurnQuery = z.object({
  step: z.coerce.number().int().min(1).max(1_000_000),
  expect: z.enum(RETENTION_EXPECTS),
  noinput: z.enum(['1']).optional(),
});

/** A polite end for a call that has no retention case (never a 500, never dead air); nothing is stored. */
const renderNoCase = (prompts: RetentionVoiceDeps['prompts'], insurer: string): string => {
  const v = prompts.voice('en-US');
  const vr = new VoiceResponse();
  vr.say({ language: v.language as never, voice: v.voice as never }, prompts.text('en-US', 'noCase', { insurer }));
  vr.hangup();
  return vr.toString();
};

type RouteOpts = { deps: RetentionVoiceDeps; metrics: Metrics; verifySignature: (req: FastifyRequest, reply: FastifyReply) => Promise<void> };

/**
 * The retention call's webhook (every turn after the IVR hands the call over).
 * Bad input is a 400 with the reason; any failure after that answers the
 * caller with an apology in TwiML, never a 500 or dead air.
 */
export const retentionVoiceRoutes = async (app: FastifyInstance, { deps, metrics, verifySignature }: RouteOpts) => {
  const input: RouteInput = { auth: 'twilio', answers: 'call-twiml', body: voiceInputParams, query: retentionTurnQuery };
  app.post(RETENTION_TURN_PATH, { preHandler: verifySignature, config: { input } }, async (request, reply) => {
    const query = parseOr400(retentionTurnQuery, request.query, 'turn query', 'IVR_BAD_PARAMS');
    const params = parseOr400(voiceInputParams, request.body, 'voice input', 'IVR_BAD_PARAMS');
    try {
      const r = await handleRetentionInput({ params, query, path: request.url, refused: refusedTextOf(request) }, deps);
      metrics.webhooks.inc({ route: 'voice-retention', outcome: r.replayed ? 'replayed' : 'handled' });
      return reply.type('text/xml').send(r.body);
    } catch (err) {
      if (err instanceof AppError && err.statusCode < 500) throw err;
      if (err instanceof NoRetentionCase) {
        metrics.webhooks.inc({ route: 'voice-retention', outcome: 'no-case' });
        return reply.type('text/xml').send(renderNoCase(deps.prompts, deps.insurerName));
      }
      request.log.error({ err }, 'retention turn failed; caller gets the technical-problem message');
      metrics.webhooks.inc({ route: 'voice-retention', outcome: 'failed' });
      return reply.type('text/xml').send(renderTechnicalError(deps.prompts, 'en-US', deps.insurerName));
    }
  });
};
