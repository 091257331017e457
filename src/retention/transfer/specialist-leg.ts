import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import { EvidenceType } from '../../evidence/evidence-event.js';
import { outboxRow } from '../../jobs/outbox-rows.js';
import type { PromptCatalog } from '../../ivr/prompts/prompt-catalog.js';
import { buildScreenPop } from './build-screen-pop.js';
import { recordTransferStep } from './record-transfer-step.js';
import type { TransferTimings, TransferWebDeps } from './transfer-deps.js';
import { ringNextJob } from './transfer-jobs.js';
import { legUrl, TRANSFER_PATHS } from './transfer-paths.js';
import { findLeg, findTransfer, moveLeg, moveTransfer, OPEN_LEG, type Leg, type Transfer } from './transfer-store.js';
import { whisperText } from './whisper-text.js';
import type { CallbackAttemptRules } from '../callbacks/end-callback-attempt.js';

/** What the specialist's side of a transfer needs: the webhooks' deps, the words said to them, the timings. */
export type SpecialistLegDeps = TransferWebDeps & { prompts: PromptCatalog; insurerName: string; timings: TransferTimings; callbackRules: CallbackAttemptRules };

/** Seconds the customer's phone rings when a specialist calls them back. */
const CALLBACK_DIAL_TIMEOUT_SECONDS = 30;

// why: specialists work in English (the whisper is English whatever the caller speaks; it says when the caller speaks Spanish).
const LOCALE = 'en-US' as const;

const speaker = (deps: SpecialistLegDeps) => {
  const vr = new VoiceResponse();
  const v = deps.prompts.voice(LOCALE);
  const say = (text: string, into: { say: VoiceResponse['say'] } = vr) => into.say({ language: v.language as never, voice: v.voice as never }, text);
  return { vr, say, t: (key: string) => deps.prompts.text(LOCALE, key) };
};

/** Words and a hang-up: a specialist's call that has nothing more to do. */
const sayAndHangUp = (deps: SpecialistLegDeps, key: string): string => {
  const s = speaker(deps);
  s.say(s.t(key));
  s.vr.hangup();
  return s.vr.toString();
};

const ring = (t: Pick<Transfer, 'id'>, now: Date) => outboxRow(ringNextJob, { transferId: t.id }, { runAt: now, correlation: `transfer:${t.id}` });

const legEvidence = (t: Transfer, leg: Leg, status: string, extra: Record<string, unknown> = {}) => ({
  type: EvidenceType.TRANSFER_LEG, providerRef: t.callerCallSid,
  payload: { transferId: t.id, legId: leg.id, specialistId: leg.specialistId, status, ...extra },
});

/** The leg and its transfer, or null when the leg is unknown (a forged or stale URL). */
const legAndTransfer = async (deps: TransferWebDeps, legId: string) => {
  const leg = await findLeg(deps.db, legId);
  const t = leg ? await findTransfer(deps.db, { id: leg.transferId }) : null;
  return leg && t ? { leg, t } : null;
};

/**
 * A rung specialist picked up: if the caller is still waiting, they hear the whisper (who, which
 * policy, why, offers declined, payment failures) and are asked to press 1 to accept or 2 to decline;
 * the whisper, word for word, is evidence. A caller who is gone, or a leg already passed over, gets a
 * polite goodbye.
 */
export const answerSpecialist = async (deps: SpecialistLegDeps, legId: string, callSid: string): Promise<string> => {
  const found = await legAndTransfer(deps, legId);
  if (!found) return sayAndHangUp(deps, 'specialist.goneCaller');
  const { t } = found;
  const text = whisperText(await buildScreenPop(deps.db, t), deps.insurerName);
  const live = await recordTransferStep(deps, t, async (client) => {
    const now = deps.clock.now();
    const current = await findTransfer(client, { id: t.id }, { lock: true });
    const moved = current?.status === 'ringing' && (await moveLeg(client, legId, ['dialing', 'ringing'], 'answered', now, callSid));
    if (!moved) return { step: null, value: false };
    return { value: true, step: { evidence: [legEvidence(t, found.leg, 'answered', { callSid }), { type: EvidenceType.TRANSFER_WHISPER, providerRef: t.callerCallSid, payload: { transferId: t.id, legId, said: text } }] } };
  });
  if (!live) return sayAndHangUp(deps, 'specialist.goneCaller');
  const s = speaker(deps);
  const gather = s.vr.gather({ input: ['dtmf'], numDigits: 1, timeout: deps.timings.acceptSeconds, action: legUrl(TRANSFER_PATHS.answer, legId), method: 'POST' });
  s.say(text, gather);
  s.say(s.t('specialist.noKey'));
  s.vr.hangup();
  return s.vr.toString();
};

/**
 * The specialist's key after the whisper. 1: the transfer is bridged to them (once: a second
 * specialist, or a caller who hung up meanwhile, loses the race cleanly) and they join the caller's
 * conference, which starts it; when either leaves, it ends. For a callback, 1 dials the customer from
 * the specialist's call instead (see callbackDialed for its end). 2: declined, the next specialist is rung.
 * Any other key: the choice is asked again.
 */
export const specialistKey = async (deps: SpecialistLegDeps, legId: string, digits: string): Promise<string> => {
  const found = await legAndTransfer(deps, legId);
  if (!found) return sayAndHangUp(deps, 'specialist.goneCaller');
  const { t, leg } = found;
  if (digits === '2' || digits === '') {
    const declined = digits === '2';
    await recordTransferStep(deps, t, async (client) => {
      const now = deps.clock.now();
      if (!(await moveLeg(client, legId, OPEN_LEG, declined ? 'declined' : 'no-answer', now))) return { step: null, value: null };
      return { value: null, step: { evidence: [legEvidence(t, leg, declined ? 'declined' : 'no-answer', { signal: declined ? 'pressed 2' : 'no key' })], outbox: [ring(t, now)] } };
    });
    return sayAndHangUp(deps, declined ? 'specialist.declined' : 'specialist.noKey');
  }
  if (digits !== '1') {
    const s = speaker(deps);
    const gather = s.vr.gather({ input: ['dtmf'], numDigits: 1, timeout: deps.timings.acceptSeconds, action: legUrl(TRANSFER_PATHS.answer, legId), method: 'POST' });
    s.say(s.t('specialist.options'), gather);
    s.say(s.t('specialist.noKey'));
    s.vr.hangup();
    return s.vr.toString();
  }
  const bridged = await recordTransferStep(deps, t, async (client) => {
    const now = deps.clock.now();
    await findTransfer(client, { id: t.id }, { lock: true });
    if (!(await moveLeg(client, legId, ['answered'], 'accepted', now))) return { step: null, value: false };
    if (!(await moveTransfer(client, t.id, ['ringing'], 'bridged', now, leg.specialistId))) {
      await moveLeg(client, legId, ['accepted'], 'cancelled', now);
      return { step: { evidence: [legEvidence(t, leg, 'cancelled', { signal: 'accepted after the caller left' })] }, value: false };
    }
    const waitedSeconds = Math.round((now.getTime() - t.requestedAt.getTime()) / 1000);
    return {
      value: true,
      step: { evidence: [legEvidence(t, leg, 'accepted'), { type: EvidenceType.TRANSFER_OUTCOME, providerRef: t.callerCallSid, payload: { transferId: t.id, outcome: 'bridged', specialistId: leg.specialistId, waitedSeconds } }] },
    };
  });
  if (!bridged) return sayAndHangUp(deps, 'specialist.goneCaller');
  const s = speaker(deps);
  if (t.flow === 'callback') {
    // why: the specialist's own call dials the customer (its caller ID is ours: we placed it); the Dial action ends the attempt.
    s.say(s.t('specialist.callingCustomer'));
    s.vr.dial({ action: `${TRANSFER_PATHS.callbackDialed}?transfer=${t.id}`, method: 'POST', timeout: CALLBACK_DIAL_TIMEOUT_SECONDS }, t.callerPhone);
    return s.vr.toString();
  }
  s.say(s.t('specialist.connecting'));
  s.vr.dial().conference({
    startConferenceOnEnter: true, endConferenceOnExit: true, beep: 'false', participantLabel: 'specialist',
  }, t.conferenceName);
  return s.vr.toString();
};
