import { EvidenceType, type EvidenceDraft } from '../evidence/evidence-event.js';
import { formatDueDate } from '../ivr/twiml/format-for-speech.js';
import { chargeDueJob } from '../jobs/contracts/charge-due.job.js';
import { sendPayLinkJob } from '../jobs/contracts/send-pay-link.job.js';
import { outboxRow, type OutboxRow } from '../jobs/outbox-rows.js';
import { findOpenDues } from '../payments/find-open-dues.js';
import { formatMoney } from '../shared/format-money.js';
import { offerMenu } from './answer-recovery-call.js';
import type { RecoveryCallContext } from './recovery-call-context.js';
import type { RecoveryCallWebDeps } from './recovery-call-deps.js';
import { RECOVERY_CALL_PATHS } from './recovery-call-paths.js';
import { setCallResult, type RecoveryCallResult } from './recovery-call-store.js';
import { recordCallStep } from './record-call-step.js';
import { renderGoodbye, renderHold } from './render-recovery-call.js';

/** A key on the menu: what was pressed (empty: nothing in time) and which try of the menu it answered. */
export type MenuKey = { digits: string; attempt: number };

/** The amount and due date as they are said, once a person has pressed a key. */
export const dueWords = (ctx: RecoveryCallContext) => ({
  amount: ctx.due ? formatMoney(ctx.due.amountCents, ctx.due.currency, ctx.party.ref.locale) : '',
  date: ctx.due ? formatDueDate(ctx.due.dueDate, ctx.party.ref.locale) : '',
});

/** Says `lines` and hangs up, recording the key, what was said, what the call achieved and the jobs queued, together. */
export const endWith = async (
  deps: RecoveryCallWebDeps, ctx: RecoveryCallContext,
  o: { prompt: string; lines: string[]; key?: MenuKey; result?: RecoveryCallResult; outbox?: OutboxRow[] },
): Promise<string> => {
  if (ctx.due) {
    await recordCallStep(deps, ctx.party, async (client) => {
      if (o.result) await setCallResult(client, ctx.party.callSid, o.result);
      return {
        value: undefined,
        step: { evidence: [...keyEvidence(ctx, o.key), prompted(ctx, o.prompt, o.lines)], keyed: isKey(o.key), ...(o.outbox ? { outbox: o.outbox } : {}) },
      };
    });
  }
  return renderGoodbye(ctx.voice, o.lines);
};

const isKey = (key: MenuKey | undefined): boolean => (key?.digits ?? '') !== '';
const keyEvidence = (ctx: RecoveryCallContext, key: MenuKey | undefined): EvidenceDraft[] =>
  key ? [{ type: EvidenceType.IVR_INPUT, providerRef: ctx.party.callSid, payload: { flow: 'recovery-call', digits: key.digits, try: key.attempt } }] : [];
const prompted = (ctx: RecoveryCallContext, prompt: string, lines: string[]): EvidenceDraft =>
  ({ type: EvidenceType.IVR_PROMPT, providerRef: ctx.party.callSid, payload: { flow: 'recovery-call', prompt, text: lines.join(' ') } });

/**
 * A key pressed on the recovery call's menu (a person is there, so the amount may be said):
 * 1 pays the due with the card on file (charged by payments' `payments.charge-due` job off the call
 * while the caller holds; without a card, the pay link is offered), 2 queues the pay link by text to
 * the number called, 0 promises a specialist's call back; anything else, or nothing, repeats the menu
 * once, then says goodbye. Card digits are never asked for here.
 */
export const pressRecoveryKey = async (deps: RecoveryCallWebDeps, ctx: RecoveryCallContext, key: MenuKey): Promise<string> => {
  const { due, party } = ctx;
  if (!due) return renderGoodbye(ctx.voice, [ctx.t('goodbye')]);
  const owed = due.status === 'open' || due.status === 'failed';
  const words = dueWords(ctx);
  if ((key.digits === '1' || key.digits === '2') && !owed) {
    return due.status === 'paid'
      ? endWith(deps, ctx, { prompt: 'already-paid', lines: [ctx.t('already-paid')], key, result: 'paid' })
      : endWith(deps, ctx, { prompt: 'goodbye', lines: [ctx.t('goodbye')], key });
  }
  switch (key.digits) {
    case '1': {
      const open = await findOpenDues(deps.db, [due.policyId], { now: deps.clock.now(), graceDays: deps.graceDays, homeZone: deps.homeZone });
      const card = open.get(due.policyId)?.cardOnFile;
      if (!card) return offerMenu(deps, ctx, 'no-card', [ctx.t('no-card', words)], { before: keyEvidence(ctx, key), keyed: isKey(key) });
      const lines = [ctx.t('charging', { ...words, last4: card.last4 ?? '' })];
      const charge = outboxRow(chargeDueJob, { dueId: due.id, callSid: party.callSid, channel: 'ivr' }, { runAt: deps.clock.now(), correlation: `due:${due.id}` });
      await recordCallStep(deps, party, async () => ({ value: undefined, step: { evidence: [...keyEvidence(ctx, key), prompted(ctx, 'charging', lines)], outbox: [charge], keyed: true } }));
      return renderHold(ctx.voice, lines, ctx.url(RECOVERY_CALL_PATHS.payment, { poll: 1 }));
    }
    case '2': {
      if (!party.to) return endWith(deps, ctx, { prompt: 'error.technical', lines: [ctx.t('error.technical')], key });
      const link = outboxRow(sendPayLinkJob, { dueId: due.id, to: party.to, locale: party.ref.locale, messageSid: party.callSid }, { runAt: deps.clock.now() });
      return endWith(deps, ctx, { prompt: 'link-sent', lines: [ctx.t('link-sent', words)], key, result: 'link-sent', outbox: [link] });
    }
    case '0':
      return endWith(deps, ctx, { prompt: 'specialist', lines: [ctx.t('specialist')], key, result: 'person-asked' });
    default:
      if (key.attempt >= 2) return endWith(deps, ctx, { prompt: 'goodbye', lines: [ctx.t('goodbye')], key });
      return offerMenu(deps, ctx, 'greeting', [ctx.t('not-understood'), ctx.t('greeting', { insurer: deps.insurerName })], { attempt: key.attempt + 1, before: keyEvidence(ctx, key), keyed: isKey(key) });
  }
};
