import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { EvidenceType } from '../../evidence/evidence-event.js';
import type { PromptCatalog } from '../../ivr/prompts/prompt-catalog.js';
import { recordTransferStep } from '../transfer/record-transfer-step.js';
import type { TransferWebDeps } from '../transfer/transfer-deps.js';
import { findTransfer, moveTransfer } from '../transfer/transfer-store.js';
import { endCallbackAttempt, type AttemptEnd, type CallbackAttemptRules } from './end-callback-attempt.js';

export type CallbackDialedDeps = TransferWebDeps & { prompts: PromptCatalog; callbackRules: CallbackAttemptRules };

/** The Dial action's parameters that say how dialling the customer went. */
export type DialResult = { DialCallStatus: string; DialCallSid?: string | undefined; DialCallDuration?: number | undefined; DialBridged?: string | undefined };

const MISSES: Record<string, Extract<AttemptEnd, { reached: false }>['outcome']> = { 'no-answer': 'no-answer', busy: 'busy', failed: 'failed', canceled: 'canceled' };

/** How dialling the customer ended: reached when the call connected (Twilio says completed or answered, and bridged). */
export const attemptEndOf = (p: DialResult): AttemptEnd => {
  const connected = (p.DialCallStatus === 'completed' || p.DialCallStatus === 'answered') && p.DialBridged !== 'false';
  if (connected) return { reached: true, signal: `dial ${p.DialCallStatus}`, durationSeconds: p.DialCallDuration ?? null };
  const outcome = MISSES[p.DialCallStatus] ?? 'specialist-left';
  return { reached: false, outcome, signal: `dial ${p.DialCallStatus}${p.DialBridged === 'false' ? ', not bridged' : ''}` };
};

/**
 * The Dial action of a specialist who called a customer back: the attempt ends, once (a repeated
 * action finds the transfer ended and records nothing more). Reached: the callback is done. Not
 * reached (no answer, busy, failed, or the specialist hung up first): a miss, retried once and then
 * reported (see endCallbackAttempt). The specialist hears which, in plain words, and the call ends.
 */
export const callbackDialed = async (deps: CallbackDialedDeps, transferId: string, p: DialResult): Promise<string> => {
  const vr = new VoiceResponse();
  const v = deps.prompts.voice('en-US');
  const say = (key: string, vars: Record<string, string | number> = {}) =>
    vr.say({ language: v.language as never, voice: v.voice as never }, deps.prompts.text('en-US', key, vars));
  const t = await findTransfer(deps.db, { id: transferId });
  if (!t || t.flow !== 'callback') {
    say('specialist.callbackDone');
    vr.hangup();
    return vr.toString();
  }
  const end = attemptEndOf(p);
  const result = await recordTransferStep(deps, t, async (client) => {
    const now = deps.clock.now();
    if (!(await moveTransfer(client, t.id, ['bridged'], 'ended', now))) return { step: null, value: null };
    const ended = await endCallbackAttempt(client, t, end, now, deps.callbackRules);
    const dialled = {
      type: EvidenceType.CALLBACK_DIALING, providerRef: t.callerCallSid,
      payload: { transferId: t.id, callbackId: t.callbackId, dialCallSid: p.DialCallSid ?? null, dialCallStatus: p.DialCallStatus, duration: p.DialCallDuration ?? null, bridged: p.DialBridged ?? null },
    };
    const outcome = { type: EvidenceType.TRANSFER_OUTCOME, providerRef: t.callerCallSid, payload: { transferId: t.id, outcome: 'ended', signal: end.signal } };
    return { value: ended.evidence.map((e) => e.type), step: { evidence: [dialled, outcome, ...ended.evidence], outbox: ended.outbox } };
  });
  if (end.reached || result === null) say('specialist.callbackDone');
  else if (result.includes(EvidenceType.CALLBACK_MISSED)) say('specialist.callbackMissed');
  else say('specialist.callbackRetry', { minutes: deps.callbackRules.retryMinutes });
  vr.hangup();
  return vr.toString();
};
