import type { RenderContext, Rendered } from '../turns/run-turn.js';
import type { InboundCallSnapshot } from '../flows/inbound-call.machine.js';
import { EvidenceType } from '../evidence/evidence-event.js';
import type { IvrDeps } from './ivr-deps.js';
import { renderCall, type CallUrls } from './twiml/render-call.js';

export const VOICE_TURN_PATH = '/twilio/voice/turn';
export const VOICE_HOLD_PATH = '/twilio/voice/hold';
export const VOICE_PAY_STATUS_PATH = '/twilio/voice/pay-status';
/** The retention call's webhook (src/retention/voice): the IVR hands a cancelling caller over to it. */
export const RETENTION_TURN_PATH = '/twilio/voice/retention';

/** Where a warm transfer's conference posts its status callbacks (src/retention/transfer). */
export const TRANSFER_CONFERENCE_PATH = '/twilio/transfer/conference';

const urls: CallUrls = {
  turn: ({ step, expect, noInput }) => `${VOICE_TURN_PATH}?step=${step}&expect=${expect}${noInput ? '&noinput=1' : ''}`,
  hold: VOICE_HOLD_PATH,
  payStatus: VOICE_PAY_STATUS_PATH,
  retention: `${RETENTION_TURN_PATH}?step=1&expect=start`,
  conferenceStatus: TRANSFER_CONFERENCE_PATH,
};

/**
 * Renders a call's state as TwiML and records what the caller is told, word
 * for word, so the call can be re-told from the evidence alone in a dispute.
 */
export const renderVoiceTurn =
  (deps: Pick<IvrDeps, 'prompts' | 'insurerName' | 'queueName' | 'businessHours' | 'payConnector'>) =>
  ({ snapshot, step }: RenderContext): Rendered => {
    const r = renderCall({
      snapshot: snapshot as InboundCallSnapshot,
      step,
      prompts: deps.prompts,
      insurerName: deps.insurerName,
      urls,
      queueName: deps.queueName,
      businessHours: deps.businessHours,
      payConnector: deps.payConnector,
    });
    return {
      contentType: 'text/xml',
      body: r.twiml,
      evidence: [
        { type: EvidenceType.IVR_PROMPT, payload: { state: r.state, locale: r.locale, step, said: r.said, gather: r.gather } },
      ],
    };
  };

/** Links the call's interaction to whoever the IVR identified. */
export const linkIdentifiedCaller = (snapshot: { context: unknown }) => {
  const ctx = (snapshot as InboundCallSnapshot).context;
  const policies = ctx.identified?.policies ?? [];
  return {
    policyholderId: ctx.identified?.policyholderId ?? null,
    policyId: policies.length === 1 ? policies[0]!.policyId : null,
  };
};
