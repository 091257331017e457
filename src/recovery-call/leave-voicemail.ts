import { endWith } from './press-recovery-key.js';
import type { RecoveryCallContext } from './recovery-call-context.js';
import type { RecoveryCallWebDeps } from './recovery-call-deps.js';
import { speakPhoneNumber } from './render-recovery-call.js';

/**
 * The voicemail a machine gets (the AMD callback moved the call here after the greeting's beep): who
 * is calling and the number to call back (the insurer's, the one the call comes from), then hang up.
 * Never the amount, the policy or the customer's name: anyone may play a voicemail back.
 */
export const leaveVoicemail = (deps: RecoveryCallWebDeps, ctx: RecoveryCallContext): Promise<string> => {
  const lines = ctx.party.from
    ? [ctx.t('voicemail', { insurer: deps.insurerName, number: speakPhoneNumber(ctx.party.from) })]
    : [ctx.t('goodbye')];
  return endWith(deps, ctx, { prompt: 'voicemail', lines });
};
