import type { AnyMachineSnapshot } from 'xstate';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { InboundCallEvent, InboundCallSnapshot, MenuChoice, PayResult } from '../flows/inbound-call.machine.js';
import { runTurn, type TurnResult } from '../turns/run-turn.js';
import { isOpen } from '../shared/business-hours.js';
import { holdsMaskedCard } from '../shared/redact.js';
import { PAY_RESULTS } from '../shared/webhook-edge/twilio-pay-results.js';
import { startInboundCall } from './handle-inbound-call.js';
import { menuChoice, policyIndex } from './interpret-input.js';
import { readPolicyNumber } from './read-policy-number.js';
import type { IvrDeps } from './ivr-deps.js';
import { linkIdentifiedCaller, renderVoiceTurn } from './render-voice-turn.js';
import type { VoiceInputParams, VoiceTurnQuery } from './voice-params.js';
import { webhookReceived } from '../evidence/webhook-received.js';
import { checkVerification } from '../policies/check-verification.js';
import { findPolicyholderByPolicyNumber } from '../policies/find-policyholder-match.js';
import type { RefusedText } from '../shared/webhook-edge/clean-text.js';

const SECRET_INPUT = new Set(['digits', 'speechresult']);

/** A chain head a lookup read on the way (see TurnSpec.prepare). */
type SeenHead = { interactionId: string; seq: number; hash: string };

/** Facts a menu choice needs: the open due for paying, business hours for reaching a person. */
const enrichMenu = async (choice: MenuChoice, current: InboundCallSnapshot, deps: IvrDeps): Promise<InboundCallEvent> => {
  const policyId = current.context.policy?.policyId;
  if ((choice === 'pay' || choice === 'due') && current.matches('mainMenu')) {
    return { type: 'MENU', choice, due: policyId ? await deps.lookups.openDue(policyId) : null };
  }
  if (choice === 'person' || choice === 'cancel' || current.matches('offerPerson')) {
    return { type: 'MENU', choice, open: await someoneServing(deps) };
  }
  return { type: 'MENU', choice };
};

/** Whether a person can take the call now: a specialist on duty (warm transfers), else business hours. */
const someoneServing = async (deps: IvrDeps): Promise<boolean> =>
  (deps.transfers ? deps.transfers.servingNow() : isOpen(deps.businessHours, deps.clock.now()));

/**
 * Turns what the caller pressed or said into the machine's event, doing the
 * lookups the event needs (policy number, verification, due, payment status,
 * business hours) outside the machine.
 */
const toEvent = async (
  current: InboundCallSnapshot, query: VoiceTurnQuery, p: VoiceInputParams, deps: IvrDeps, seen: { head?: SeenHead | null },
): Promise<InboundCallEvent> => {
  const ctx = current.context;
  switch (query.expect) {
    case 'queue':
      return { type: 'QUEUE_LEFT', result: p.QueueResult ?? 'unknown' };
    case 'transfer':
      return { type: 'TRANSFER_ENDED', outcome: deps.transfers ? await deps.transfers.outcomeOnReturn(p.CallSid, p.CallStatus) : 'no-specialist' };
    case 'pay': {
      const result = (PAY_RESULTS as readonly string[]).includes(p.Result ?? '') ? (p.Result as PayResult) : 'internal-error';
      const last4 = /(\d{4})\s*$/.exec(p.PaymentCardNumber ?? '')?.[1] ?? null;
      return { type: 'PAY_RESULT', result, paymentMethodId: p.PaymentToken || null, last4, brand: p.PaymentCardType ?? null };
    }
    case 'payment-status': {
      if (!ctx.due) return { type: 'PAYMENT_STATUS', status: 'failed', confirmation: null, reason: null };
      // why: the charge job records its outcome on this call's chain; the head read with the status saves a failed write.
      const { callHead, ...status } = await deps.lookups.paymentStatus(ctx.due.dueId, ctx.callSid);
      seen.head = callHead;
      return { type: 'PAYMENT_STATUS', ...status };
    }
    default:
  }
  const input = { digits: p.Digits, speech: p.SpeechResult };
  const entered = (p.Digits ?? '').replace(/#$/, '') || (p.SpeechResult ?? '').trim();
  if (query.noinput || !entered) {
    // Silence at the offer of a person is taking it (the prompt says so): it needs business hours.
    return query.expect === 'offer-person' ? { type: 'NO_INPUT', open: await someoneServing(deps) } : { type: 'NO_INPUT' };
  }
  // A card number (masked where the request was parsed) is no policy number or verification value.
  const card = holdsMaskedCard(entered);
  switch (query.expect) {
    case 'policy-number': {
      const choice = menuChoice(deps.prompts, ctx.locale, 'policy-number', input);
      if (choice === 'language' || choice === 'person') return enrichMenu(choice, current, deps);
      if (card) return { type: 'POLICY_LOOKUP', match: null };
      const said = readPolicyNumber(entered, deps.prompts.speech(ctx.locale));
      return { type: 'POLICY_LOOKUP', match: await findPolicyholderByPolicyNumber(deps.db, said) };
    }
    case 'verification': {
      const c = ctx.candidate;
      const passed = c && !card ? await checkVerification(deps.db, c.policyholderId, c.verifyBy ?? 'zip', entered.replace(/\D/g, '')) : false;
      return { type: 'VERIFICATION', passed };
    }
    case 'policy-choice': {
      if ((p.Digits ?? '') === '0' || menuChoice(deps.prompts, ctx.locale, 'offer-person', input) === 'person') {
        return enrichMenu('person', current, deps);
      }
      return { type: 'POLICY_CHOICE', index: policyIndex(p.Digits, ctx.identified?.policies.length ?? 0) };
    }
    default:
      return enrichMenu(menuChoice(deps.prompts, ctx.locale, query.expect, input), current, deps);
  }
};

/**
 * A caller's answer to a prompt (a Gather or Pay action, the Redirect after
 * silence or a hold, or the end of a queue wait). The step in the URL
 * identifies the request, so Twilio's retry replays the stored answer.
 */
export const handleVoiceInput = async (
  { params, query, path, refused }: { params: VoiceInputParams; query: VoiceTurnQuery; path: string; refused?: readonly RefusedText[] },
  deps: IvrDeps,
): Promise<TurnResult> =>
  runTurn(
    {
      sessionKey: `call:${params.CallSid}`,
      dedupeKey: `voice:${params.CallSid}:${query.step}:${query.expect}${query.noinput ? ':silence' : ''}`,
      // A turn for a call we have no session for (state lost, say): start over politely.
      start: startInboundCall(params, deps),
      prepare: async (current: AnyMachineSnapshot | null) => {
        const secret = current?.hasTag('secret-input') ?? false;
        const received = webhookReceived(path, params, {
          refused,
          providerRef: params.CallSid,
          secretKeys: secret ? SECRET_INPUT : undefined,
        });
        if (!current) return { event: null, evidence: [received] };
        const seen: { head?: SeenHead | null } = {};
        const event = await toEvent(current as InboundCallSnapshot, query, params, deps, seen);
        const heard = secret
          ? { digits: params.Digits ? `[redacted:${params.Digits.length}]` : null, speech: params.SpeechResult ? '[redacted]' : null }
          : { digits: params.Digits ?? null, speech: params.SpeechResult ?? null, confidence: params.Confidence ?? null };
        const evidence = [
          received,
          {
            type: EvidenceType.IVR_INPUT,
            providerRef: params.CallSid,
            payload: { step: query.step, expect: query.expect, noInput: query.noinput === '1', ...heard, event: summarise(event) },
          },
        ];
        return { event, evidence, head: seen.head ?? null };
      },
      render: renderVoiceTurn(deps),
      link: linkIdentifiedCaller,
    },
    deps,
  );

/** The event as evidence: never a verification value; payment facts by provider reference only. */
const summarise = (e: InboundCallEvent): Record<string, unknown> => {
  switch (e.type) {
    case 'POLICY_LOOKUP':
      return { type: e.type, found: e.match !== null, policyholderId: e.match?.policyholderId ?? null };
    case 'VERIFICATION':
      return { type: e.type, passed: e.passed };
    case 'MENU':
      return { type: e.type, choice: e.choice, dueId: e.due?.dueId ?? null, amountCents: e.due?.amountCents ?? null, open: e.open ?? null };
    default:
      return { ...e };
  }
};
