import { RETENTION_TURN_PATH } from '../../ivr/render-voice-turn.js';
import { EvidenceType } from '../../evidence/evidence-event.js';
import type { RetentionCallSnapshot } from '../../flows/retention-call.machine.js';
import type { RenderContext, Rendered } from '../../turns/run-turn.js';
import { TRANSFER_PATHS } from '../transfer/transfer-paths.js';
import { renderRetentionCall } from './render-retention-call.js';
import type { RetentionVoiceDeps } from './retention-voice-deps.js';
import type { RetentionExpect } from './retention-turn.js';

export { RETENTION_TURN_PATH };

const turnUrl = ({ step, expect, noInput }: { step: number; expect: RetentionExpect; noInput?: boolean }) =>
  `${RETENTION_TURN_PATH}?step=${step}&expect=${expect}${noInput ? '&noinput=1' : ''}`;

/** Renders a retention state as TwiML and records what the caller is told, word for word, as the IVR does. */
export const renderRetentionTurn =
  (deps: Pick<RetentionVoiceDeps, 'prompts' | 'insurerName' | 'holdUrl' | 'businessHours' | 'offers'>) =>
  ({ snapshot, step }: RenderContext): Rendered => {
    const r = renderRetentionCall({
      snapshot: snapshot as RetentionCallSnapshot, step, prompts: deps.prompts, insurerName: deps.insurerName, turnUrl,
      holdUrl: deps.holdUrl, conferenceStatusUrl: TRANSFER_PATHS.conference, businessHours: deps.businessHours, products: deps.offers.products,
    });
    return {
      contentType: 'text/xml',
      body: r.twiml,
      evidence: [{ type: EvidenceType.IVR_PROMPT, payload: { flow: 'retention-call', state: r.state, locale: r.locale, step, said: r.said, gather: r.gather } }],
    };
  };
