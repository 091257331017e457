import type { AnyMachineSnapshot } from 'xstate';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { InboundCallEvent, InboundCallSnapshot } from '../flows/inbound-call.machine.js';
import { runTurn, type TurnResult } from '../flows/runtime/run-turn.js';
import { checkVerification, findCallerByPolicyNumber } from './find-caller.js';
import { startInboundCall } from './handle-inbound-call.js';
import { menuChoice } from './interpret-input.js';
import type { IvrDeps } from './ivr-deps.js';
import { linkIdentifiedCaller, renderVoiceTurn } from './render-voice-turn.js';
import type { VoiceInputParams, VoiceTurnQuery } from './voice-params.js';
import { webhookReceived } from './webhook-evidence.js';

const SECRET_INPUT = new Set(['digits', 'speechresult']);

/**
 * Turns what the caller pressed or said into the machine's event, doing the
 * lookups the event needs (policy number, verification) outside the machine.
 */
const toEvent = async (
  current: InboundCallSnapshot,
  query: VoiceTurnQuery,
  input: { digits?: string; speech?: string; queueResult?: string },
  deps: IvrDeps,
): Promise<InboundCallEvent> => {
  if (query.expect === 'queue') return { type: 'QUEUE_LEFT', result: input.queueResult ?? 'unknown' };
  const entered = (input.digits ?? '').replace(/#$/, '') || (input.speech ?? '').trim();
  if (query.noinput || !entered) return { type: 'NO_INPUT' };
  const ctx = current.context;
  switch (query.expect) {
    case 'policy-number': {
      const choice = menuChoice(deps.prompts, ctx.locale, input);
      if (choice === 'language' || choice === 'person') return { type: 'MENU', choice };
      return { type: 'POLICY_LOOKUP', match: await findCallerByPolicyNumber(deps.db, entered) };
    }
    case 'verification': {
      const candidate = ctx.candidate;
      const passed = candidate
        ? await checkVerification(deps.db, candidate.policyholderId, candidate.verifyBy ?? 'zip', entered.replace(/\D/g, ''))
        : false;
      return { type: 'VERIFICATION', passed };
    }
    default:
      return { type: 'MENU', choice: menuChoice(deps.prompts, ctx.locale, input) };
  }
};

/**
 * A caller's answer to a prompt (a Gather action, the silence Redirect after
 * it, or the end of a queue wait). The step in the URL identifies the
 * request, so Twilio's retry replays the stored answer.
 */
export const handleVoiceInput = async (
  { params, query, path }: { params: VoiceInputParams; query: VoiceTurnQuery; path: string },
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
          providerRef: params.CallSid,
          secretKeys: secret ? SECRET_INPUT : undefined,
        });
        if (!current) return { event: null, evidence: [received] };
        const input = { digits: params.Digits, speech: params.SpeechResult, queueResult: params.QueueResult };
        const event = await toEvent(current as InboundCallSnapshot, query, input, deps);
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
        return { event, evidence };
      },
      render: renderVoiceTurn(deps),
      link: linkIdentifiedCaller,
    },
    deps,
  );

/** The event as evidence: never the verification value, only pass or fail and which policyholder matched. */
const summarise = (e: InboundCallEvent): Record<string, unknown> => {
  switch (e.type) {
    case 'POLICY_LOOKUP':
      return { type: e.type, found: e.match !== null, policyholderId: e.match?.policyholderId ?? null };
    case 'VERIFICATION':
      return { type: e.type, passed: e.passed };
    default:
      return { ...e };
  }
};
