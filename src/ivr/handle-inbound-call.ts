import { runTurn, type TurnResult, type TurnSpec } from '../turns/run-turn.js';
import { toE164 } from '../shared/webhook-edge/to-e164.js';
import type { IvrDeps } from './ivr-deps.js';
import { linkIdentifiedCaller, renderVoiceTurn } from './render-voice-turn.js';
import type { VoiceCallParams } from './voice-params.js';
import { webhookReceived } from '../evidence/webhook-received.js';
import type { RefusedText } from '../shared/webhook-edge/clean-text.js';

export const INBOUND_CALL_MACHINE = 'inbound-call';

/** How a call's session begins: the caller ID looked up once, the interaction row described. */
export const startInboundCall = (params: VoiceCallParams, deps: IvrDeps): TurnSpec['start'] => ({
  machineId: INBOUND_CALL_MACHINE,
  ref: { kind: 'call', providerRef: params.CallSid },
  init: async () => {
    const caller = await deps.lookups.callerByPhone(params.From);
    return {
      input: { callSid: params.CallSid, from: params.From, to: params.To, caller, defaultLocale: deps.defaultLocale },
      interaction: {
        kind: 'call',
        providerRef: params.CallSid,
        direction: 'inbound',
        from: toE164(params.From) ?? params.From.slice(0, 64),
        to: toE164(params.To) ?? params.To.slice(0, 64),
        policyholderId: caller?.policyholderId ?? null,
      },
    };
  },
});

/**
 * A call arrives: start its session (caller ID looked up once, here) and
 * answer with the first prompt. Twilio's retry of this webhook replays it.
 */
export const handleInboundCall = async (
  { params, path, refused }: { params: VoiceCallParams; path: string; refused?: readonly RefusedText[] },
  deps: IvrDeps,
): Promise<TurnResult> =>
  runTurn(
    {
      sessionKey: `call:${params.CallSid}`,
      dedupeKey: `voice:${params.CallSid}:start`,
      start: startInboundCall(params, deps),
      expectNew: true,
      prepare: async () => ({
        event: null,
        evidence: [webhookReceived(path, params, { refused, providerRef: params.CallSid })],
      }),
      render: renderVoiceTurn(deps),
      link: linkIdentifiedCaller,
    },
    deps,
  );
