import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { z } from 'zod';
import { callStatusParams, voiceCallParams, voiceInputParams } from '../../ivr/voice-params.js';
import type { Metrics } from '../../shared/metrics.js';
import { parseOr400 } from '../../shared/webhook-edge/parse-or-400.js';
import { answerTwiml, EMPTY_TWIML as EMPTY, twilioRouteOptions } from '../../shared/webhook-edge/twiml-route.js';
import { answerSpecialist, specialistKey, type SpecialistLegDeps } from './specialist-leg.js';
import { handleConferenceStatus, handleLegStatus } from './transfer-callbacks.js';
import { TRANSFER_PATHS } from './transfer-paths.js';
import { callbackDialed } from '../callbacks/callback-dialed.js';

const legQuery = z.object({ leg: z.uuid('leg must be a transfer leg id') });
const transferQuery = z.object({ transfer: z.uuid('transfer must be a transfer id') });

/** The Dial action of a specialist's call dialling a callback's customer. */
const dialActionParams = voiceCallParams.extend({
  DialCallStatus: z.enum(['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'], 'must be a Twilio DialCallStatus'),
  DialCallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'must be a CA sid').optional(),
  DialCallDuration: z.coerce.number().int().min(0).optional(),
  DialBridged: z.enum(['true', 'false']).optional(),
});

const conferenceParams = z.object({
  AccountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be an AC sid'),
  ConferenceSid: z.string().regex(/^CF[0-9a-fA-F]{32}$/, 'must be a CF sid'),
  FriendlyName: z.string().min(1).max(128),
  StatusCallbackEvent: z.string().min(1).max(64),
  CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'must be a CA sid').optional(),
  SequenceNumber: z.coerce.number().int().min(0).optional(),
  Timestamp: z.string().max(64).optional(),
  ParticipantLabel: z.string().max(128).optional(),
}).loose();

type RouteOpts = { deps: SpecialistLegDeps; metrics: Metrics; verifySignature: (req: FastifyRequest, reply: FastifyReply) => Promise<void> };

/**
 * The warm transfer's webhooks (Twilio, signed): the specialist's call (whisper, then their key),
 * its status callbacks, the caller's conference's status callbacks, and a callback's dial of the customer. A failure on the specialist's call ends it politely,
 * never a 500 or dead air; the caller meanwhile stays on hold and the next specialist is rung.
 */
export const transferRoutes = async (app: FastifyInstance, { deps, metrics, verifySignature }: RouteOpts) => {
  const twilio = twilioRouteOptions(verifySignature);
  const politeEnd = () => {
    const vr = new VoiceResponse();
    const v = deps.prompts.voice('en-US');
    vr.say({ language: v.language as never, voice: v.voice as never }, deps.prompts.text('en-US', 'error.technical'));
    vr.hangup();
    return vr.toString();
  };
  const speak = (request: FastifyRequest, reply: FastifyReply, route: string, run: () => Promise<string>) =>
    answerTwiml(request, reply, { metrics, route, apology: politeEnd, failure: 'transfer webhook failed; the specialist hears an apology' }, run);

  app.post(TRANSFER_PATHS.whisper, twilio('call-twiml', { body: voiceCallParams, query: legQuery }), async (request, reply) => {
    const { leg } = parseOr400(legQuery, request.query, 'transfer leg', 'TRANSFER_BAD_PARAMS');
    const p = parseOr400(voiceCallParams, request.body, 'specialist call', 'TRANSFER_BAD_PARAMS');
    return speak(request, reply, 'transfer-whisper', () => answerSpecialist(deps, leg, p.CallSid));
  });

  app.post(TRANSFER_PATHS.answer, twilio('call-twiml', { body: voiceInputParams, query: legQuery }), async (request, reply) => {
    const { leg } = parseOr400(legQuery, request.query, 'transfer leg', 'TRANSFER_BAD_PARAMS');
    const p = parseOr400(voiceInputParams, request.body, 'specialist key', 'TRANSFER_BAD_PARAMS');
    return speak(request, reply, 'transfer-answer', () => specialistKey(deps, leg, (p.Digits ?? '').replace(/#$/, '')));
  });

  app.post(TRANSFER_PATHS.callbackDialed, twilio('call-twiml', { body: dialActionParams, query: transferQuery }), async (request, reply) => {
    const { transfer } = parseOr400(transferQuery, request.query, 'callback transfer', 'TRANSFER_BAD_PARAMS');
    const p = parseOr400(dialActionParams, request.body, 'callback dial result', 'TRANSFER_BAD_PARAMS');
    return speak(request, reply, 'callback-dialed', () => callbackDialed(deps, transfer, p));
  });

  app.post(TRANSFER_PATHS.legStatus, twilio('empty', { body: callStatusParams, query: legQuery }), async (request, reply) => {
    const { leg } = parseOr400(legQuery, request.query, 'transfer leg', 'TRANSFER_BAD_PARAMS');
    const p = parseOr400(callStatusParams, request.body, 'specialist call status', 'TRANSFER_BAD_PARAMS');
    await handleLegStatus(deps, leg, p);
    metrics.webhooks.inc({ route: 'transfer-leg-status', outcome: 'handled' });
    return reply.type('text/xml').send(EMPTY);
  });

  app.post(TRANSFER_PATHS.conference, twilio('empty', { body: conferenceParams }), async (request, reply) => {
    const p = parseOr400(conferenceParams, request.body, 'conference status', 'TRANSFER_BAD_PARAMS');
    await handleConferenceStatus(deps, p);
    metrics.webhooks.inc({ route: 'transfer-conference', outcome: 'handled' });
    return reply.type('text/xml').send(EMPTY);
  });
};
