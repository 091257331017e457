import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { callStatusParams, voiceCallParams, voiceInputParams } from '../ivr/voice-params.js';
import type { Metrics } from '../shared/metrics.js';
import { parseOr400 } from '../shared/webhook-edge/parse-or-400.js';
import { answerTwiml, EMPTY_TWIML, twilioRouteOptions } from '../shared/webhook-edge/twiml-route.js';
import { answerRecoveryCall } from './answer-recovery-call.js';
import { endRecoveryCall } from './end-recovery-call.js';
import { handleAmdResult } from './handle-amd-result.js';
import { leaveVoicemail } from './leave-voicemail.js';
import { pollRecoveryPayment } from './poll-recovery-payment.js';
import { pressRecoveryKey } from './press-recovery-key.js';
import { loadCallContext } from './recovery-call-context.js';
import type { RecoveryCallWebDeps } from './recovery-call-deps.js';
import { RECOVERY_CALL_PATHS, recoveryCallQuery, recoveryKeyQuery, recoveryPaymentQuery, refOf } from './recovery-call-paths.js';
import { renderGoodbye } from './render-recovery-call.js';

/** The asynchronous AMD callback: the call, the verdict and how long it took (no From or To). */
const amdParams = z.object({
  CallSid: z.string().regex(/^CA[0-9a-fA-F]{32}$/, 'must be a CA sid'),
  AccountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be an AC sid'),
  AnsweredBy: z.enum(['human', 'machine_start', 'machine_end_beep', 'machine_end_silence', 'machine_end_other', 'fax', 'unknown'], 'must be a Twilio AnsweredBy'),
  MachineDetectionDuration: z.coerce.number().int().min(0).max(600_000).optional(),
}).loose();

type RouteOpts = { deps: RecoveryCallWebDeps; metrics: Metrics; verifySignature: (req: FastifyRequest, reply: FastifyReply) => Promise<void> };

const BAD = 'IVR_BAD_PARAMS' as const;

/**
 * The outbound recovery call's webhooks (Twilio, signed; see docs/recovery-calls.md): the answer's
 * greeting and menu, the menu's key, the wait for a charge, the voicemail, the AMD verdict and the
 * status callback. A failure on the call says sorry and hangs up, never a 500 or dead air.
 */
export const recoveryCallRoutes = async (app: FastifyInstance, { deps, metrics, verifySignature }: RouteOpts) => {
  const twilio = twilioRouteOptions(verifySignature);
  const speak = (request: FastifyRequest, reply: FastifyReply, route: string, locale: 'en-US' | 'es-US', run: () => Promise<string>) =>
    answerTwiml(request, reply, {
      metrics, route, failure: 'recovery call webhook failed; the customer hears an apology',
      apology: () => renderGoodbye(deps.prompts.voice(locale), [deps.prompts.text(locale, 'error.technical')]),
    }, run);

  app.post(RECOVERY_CALL_PATHS.answer, twilio('call-twiml', { body: voiceCallParams, query: recoveryCallQuery }), async (request, reply) => {
    const ref = refOf(parseOr400(recoveryCallQuery, request.query, 'recovery call', BAD));
    const p = parseOr400(voiceCallParams, request.body, 'recovery call', BAD);
    return speak(request, reply, 'recovery-call-answer', ref.locale, async () => answerRecoveryCall(deps, await loadCallContext(deps, ref, p)));
  });

  app.post(RECOVERY_CALL_PATHS.key, twilio('call-twiml', { body: voiceInputParams, query: recoveryKeyQuery }), async (request, reply) => {
    const q = parseOr400(recoveryKeyQuery, request.query, 'recovery call key', BAD);
    const p = parseOr400(voiceInputParams, request.body, 'recovery call key', BAD);
    const digits = q.noinput ? '' : (p.Digits ?? '').replace(/#$/, '');
    return speak(request, reply, 'recovery-call-key', q.locale, async () =>
      pressRecoveryKey(deps, await loadCallContext(deps, refOf(q), p), { digits, attempt: q.try }));
  });

  app.post(RECOVERY_CALL_PATHS.payment, twilio('call-twiml', { body: voiceCallParams, query: recoveryPaymentQuery }), async (request, reply) => {
    const q = parseOr400(recoveryPaymentQuery, request.query, 'recovery call payment', BAD);
    const p = parseOr400(voiceCallParams, request.body, 'recovery call payment', BAD);
    return speak(request, reply, 'recovery-call-payment', q.locale, async () => pollRecoveryPayment(deps, await loadCallContext(deps, refOf(q), p), q.poll));
  });

  app.post(RECOVERY_CALL_PATHS.voicemail, twilio('call-twiml', { body: voiceCallParams, query: recoveryCallQuery }), async (request, reply) => {
    const ref = refOf(parseOr400(recoveryCallQuery, request.query, 'recovery call voicemail', BAD));
    const p = parseOr400(voiceCallParams, request.body, 'recovery call voicemail', BAD);
    return speak(request, reply, 'recovery-call-voicemail', ref.locale, async () => leaveVoicemail(deps, await loadCallContext(deps, ref, p)));
  });

  app.post(RECOVERY_CALL_PATHS.amd, twilio('empty', { body: amdParams, query: recoveryCallQuery }), async (request, reply) => {
    const ref = refOf(parseOr400(recoveryCallQuery, request.query, 'recovery call AMD', BAD));
    const p = parseOr400(amdParams, request.body, 'recovery call AMD', BAD);
    const ctx = await loadCallContext(deps, ref, { CallSid: p.CallSid, From: '', To: '' });
    await handleAmdResult(deps, ctx, { answeredBy: p.AnsweredBy, durationMs: p.MachineDetectionDuration ?? null }, request.log);
    metrics.webhooks.inc({ route: 'recovery-call-amd', outcome: 'handled' });
    return reply.type('text/xml').send(EMPTY_TWIML);
  });

  app.post(RECOVERY_CALL_PATHS.status, twilio('empty', { body: callStatusParams, query: recoveryCallQuery }), async (request, reply) => {
    const ref = refOf(parseOr400(recoveryCallQuery, request.query, 'recovery call status', BAD));
    const p = parseOr400(callStatusParams, request.body, 'recovery call status', BAD);
    await endRecoveryCall(deps, await loadCallContext(deps, ref, p), { status: p.CallStatus, durationSeconds: p.CallDuration ?? null });
    metrics.webhooks.inc({ route: 'recovery-call-status', outcome: 'handled' });
    return reply.type('text/xml').send(EMPTY_TWIML);
  });
};
