import { appendEvidence } from '../evidence/append-evidence.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import { ensureInteraction } from '../evidence/interactions.js';
import { runTurn } from '../turns/run-turn.js';
import { toE164 } from '../shared/webhook-edge/to-e164.js';
import { INBOUND_CALL_MACHINE } from './handle-inbound-call.js';
import type { IvrDeps } from './ivr-deps.js';
import { renderVoiceTurn } from './render-voice-turn.js';
import type { CallStatusParams } from './voice-params.js';
import { providerTime, webhookReceived } from '../evidence/webhook-received.js';
import { recordWebhookOnce } from '../turns/record-webhook-once.js';
import { sessionExists } from '../turns/session-exists.js';
import type { RefusedText } from '../shared/webhook-edge/clean-text.js';

const TERMINAL = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/**
 * Call progress from Twilio. Callbacks may arrive late, twice or out of order
 * (SequenceNumber): each is recorded once; a terminal status ends the call's
 * session, and the machine's final states ignore anything after that.
 */
export const handleCallStatus = async (
  { params, path, refused }: { params: CallStatusParams; path: string; refused?: readonly RefusedText[] },
  deps: IvrDeps,
): Promise<void> => {
  const dedupeKey = `voice-status:${params.CallSid}:${params.CallStatus}:${params.SequenceNumber ?? 'x'}`;
  const received = webhookReceived(path, params, { refused, providerRef: params.CallSid });
  const status = {
    type: EvidenceType.CALL_STATUS,
    providerRef: params.CallSid,
    providerTime: providerTime(params.Timestamp),
    payload: { status: params.CallStatus, sequence: params.SequenceNumber ?? null, duration: params.CallDuration ?? null },
  };
  const key = `call:${params.CallSid}`;
  const known = deps.sessions?.get(key) !== undefined || (await sessionExists(deps.db, key));
  if (!known) {
    // A call without an IVR session (an outbound leg, say): record it on the call's interaction, once.
    if (!(await recordWebhookOnce(deps.db, dedupeKey, deps.clock.now(), 'text/xml'))) return;
    const id = await ensureInteraction(deps.db, {
      kind: 'call', providerRef: params.CallSid, status: params.CallStatus, direction: params.Direction ?? null,
      from: toE164(params.From) ?? null, to: toE164(params.To) ?? null,
    }, deps.clock.now());
    await appendEvidence(deps.db, deps.clock, id, [received, status]);
    return;
  }
  const terminal = TERMINAL.has(params.CallStatus);
  await runTurn(
    {
      sessionKey: key,
      dedupeKey,
      start: {
        machineId: INBOUND_CALL_MACHINE,
        ref: { kind: 'call', providerRef: params.CallSid },
        init: async () => {
          throw new Error('status callback for a call without a session');
        },
      },
      prepare: async () => ({
        event: terminal ? { type: 'CALL_ENDED', status: params.CallStatus } : null,
        evidence: [received, status],
      }),
      render: (ctx) => ({ ...renderVoiceTurn(deps)(ctx), evidence: [] }),
      ends: (s) => s.status === 'done',
    },
    deps,
  );
  if (terminal) await endSubflows(params, dedupeKey, deps);
};

/**
 * The call's other flows (the retention call the IVR handed it to) hear that
 * it ended too, so none stays open after the caller hung up. Their sessions
 * share the call's evidence chain, where the status is recorded once (above).
 */
const endSubflows = async (params: CallStatusParams, dedupeKey: string, deps: IvrDeps): Promise<void> => {
  for (const prefix of deps.callSubflows ?? []) {
    const sessionKey = `${prefix}:${params.CallSid}`;
    if (!(await sessionExists(deps.db, sessionKey))) continue;
    await runTurn({
      sessionKey,
      dedupeKey: `${dedupeKey}:${prefix}`,
      start: { machineId: prefix, ref: { kind: 'call', providerRef: params.CallSid }, init: async () => { throw new Error('no session to end'); } },
      prepare: async () => ({ event: { type: 'CALL_ENDED', status: params.CallStatus }, evidence: [] }),
      render: () => ({ contentType: 'text/xml', body: '', evidence: [] }),
      ends: (s) => s.status === 'done',
    }, deps);
  }
};
