import { spellDigits } from '../ivr/twiml/format-for-speech.js';
import { findPaymentStatuses, paymentStatusKey, UNKNOWN_DUE_STATUS } from '../payments/find-payment-statuses.js';
import { offerMenu } from './answer-recovery-call.js';
import { dueWords, endWith } from './press-recovery-key.js';
import type { RecoveryCallContext } from './recovery-call-context.js';
import type { RecoveryCallWebDeps } from './recovery-call-deps.js';
import { RECOVERY_CALL_PATHS } from './recovery-call-paths.js';
import { renderGoodbye, renderHold } from './render-recovery-call.js';

/** How many times the caller is asked to hold (about two seconds each) before being told the result will come by text. */
export const MAX_PAYMENT_POLLS = 10;

/**
 * The caller holds while the charge of the card on file runs: paid (by this call's charge or any other
 * way) says so with the confirmation number and ends the call `paid`; declined offers the pay link or
 * a specialist; still running holds again, then after MAX_PAYMENT_POLLS promises the result by text.
 */
export const pollRecoveryPayment = async (deps: RecoveryCallWebDeps, ctx: RecoveryCallContext, poll: number): Promise<string> => {
  if (!ctx.due) return renderGoodbye(ctx.voice, [ctx.t('goodbye')]);
  const key = paymentStatusKey(ctx.due.id, ctx.party.callSid);
  const status = (await findPaymentStatuses(deps.db, [key])).get(key) ?? UNKNOWN_DUE_STATUS;
  switch (status.status) {
    case 'succeeded': {
      const lines = [ctx.t('paid', { amount: dueWords(ctx).amount, confirmation: spellDigits(status.confirmation ?? '') })];
      return endWith(deps, ctx, { prompt: 'paid', lines, result: 'paid' });
    }
    case 'failed':
      return offerMenu(deps, ctx, 'declined', [ctx.t('declined')]);
    default:
      if (poll >= MAX_PAYMENT_POLLS) return endWith(deps, ctx, { prompt: 'slow', lines: [ctx.t('slow')] });
      return renderHold(ctx.voice, [ctx.t('still-charging')], ctx.url(RECOVERY_CALL_PATHS.payment, { poll: poll + 1 }));
  }
};
