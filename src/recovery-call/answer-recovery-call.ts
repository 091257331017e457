import { EvidenceType, type EvidenceDraft } from '../evidence/evidence-event.js';
import type { RecoveryCallContext } from './recovery-call-context.js';
import type { RecoveryCallWebDeps } from './recovery-call-deps.js';
import { RECOVERY_CALL_PATHS } from './recovery-call-paths.js';
import { recordCallStep } from './record-call-step.js';
import { renderMenu } from './render-recovery-call.js';

/**
 * The menu of a recovery call: `lines` said in a one-key Gather whose key (or silence) goes to the key
 * webhook as try `attempt`. What was said is evidence on the call, after `before` (the key that led
 * here); nothing is recorded for an unknown due.
 */
export const offerMenu = async (
  deps: RecoveryCallWebDeps, ctx: RecoveryCallContext, prompt: string, lines: string[], o: { attempt?: number; before?: EvidenceDraft[]; keyed?: boolean } = {},
): Promise<string> => {
  const attempt = o.attempt ?? 1;
  const twiml = renderMenu(ctx.voice, lines, {
    action: ctx.url(RECOVERY_CALL_PATHS.key, { try: attempt }),
    noInput: ctx.url(RECOVERY_CALL_PATHS.key, { try: attempt, noinput: 1 }),
  });
  if (ctx.due) {
    await recordCallStep(deps, ctx.party, async () => ({
      value: undefined,
      step: {
        evidence: [...(o.before ?? []), { type: EvidenceType.IVR_PROMPT, providerRef: ctx.party.callSid, payload: { flow: 'recovery-call', prompt, text: lines.join(' ') } }],
        keyed: o.keyed ?? false,
      },
    }));
  }
  return twiml;
};

/**
 * The call is answered (by a person or a machine, AMD has not said yet): a short neutral greeting that
 * names the insurer and the reason, never the amount or the customer (a voicemail could record it), and the menu.
 */
export const answerRecoveryCall = (deps: RecoveryCallWebDeps, ctx: RecoveryCallContext): Promise<string> =>
  offerMenu(deps, ctx, 'greeting', [ctx.t('greeting', { insurer: deps.insurerName })]);
