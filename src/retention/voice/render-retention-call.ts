import type { StateValueFrom } from 'xstate';
import type { OfferQuote, RetentionCallContext, retentionCallMachine } from '../../flows/retention-call.machine.js';
import { describeHours } from '../../shared/business-hours.js';
import { holdForSpecialist } from '../../ivr/twiml/hold-for-specialist.js';
import { retentionRenderer, type RenderedRetention, type RetentionRenderer, type RetentionRenderInput, type RetentionTurn } from './retention-turn.js';

type StateName = Extract<StateValueFrom<typeof retentionCallMachine>, string>;

/** The policy number's last four characters, as callers know it ("ending in 0874"). */
const ending = (ctx: RetentionCallContext) => ctx.policy.policyNumber.slice(-4);

/** What an offer says, priced as quoted. */
const offerLines = (turn: RetentionTurn, offer: OfferQuote): string[] => {
  switch (offer.kind) {
    case 'downgrade-tier':
    case 'downgrade-sum':
      return [turn.t(`offer.${offer.kind}`, {
        tier: offer.toTier, sum: turn.money(offer.toSumInsuredCents, offer.currency),
        to: turn.money(offer.toPremiumCents, offer.currency), from: turn.money(offer.fromPremiumCents, offer.currency), date: turn.date(offer.effectiveDate),
      })];
    case 'move-date':
      return [turn.t('offer.move-date', { amount: turn.money(offer.amountCents, offer.currency), date: turn.date(offer.fromDate) })];
    case 'skip-instalment':
      return [turn.t('offer.skip-instalment', {
        amount: turn.money(offer.fromAmountCents, offer.currency), date: turn.date(offer.fromDate),
        toDate: turn.date(offer.toDate), total: turn.money(offer.toAmountCents, offer.currency),
      })];
    case 'explain-cover': {
      const terms = turn.input.products[offer.product];
      return terms ? [terms.cover[turn.locale]] : [];
    }
  }
};

/** What accepting it did, said before goodbye. */
const acceptedLine = (turn: RetentionTurn): string => {
  const o = turn.ctx.accepted!;
  switch (o.kind) {
    case 'downgrade-tier':
    case 'downgrade-sum':
      return turn.t('accepted.downgrade', { to: turn.money(o.toPremiumCents, o.currency), date: turn.date(o.effectiveDate) });
    case 'move-date':
      return turn.t('accepted.move-date', { amount: turn.money(o.amountCents, o.currency), date: turn.date(turn.ctx.paymentDay!.toDate) });
    case 'skip-instalment':
      return turn.t('accepted.skip-instalment', { date: turn.date(o.fromDate), toDate: turn.date(o.toDate), total: turn.money(o.toAmountCents, o.currency) });
    case 'explain-cover':
      return turn.t('kept');
  }
};

const cancelQuote = (turn: RetentionTurn): string => {
  const q = turn.ctx.cancel!;
  return q.refundCents > 0
    ? turn.t('cancel.quoteRefund', { date: turn.date(q.effectiveDate), refund: turn.money(q.refundCents, q.currency) })
    : turn.t('cancel.quoteNoRefund', { date: turn.date(q.effectiveDate) });
};

/** A renderer for every state of the retention call; a state without one fails typecheck. */
const RENDERERS: { readonly [S in StateName]: RetentionRenderer } = {
  askReason: retentionRenderer((turn) => {
    turn.notice();
    turn.askKeys('reason', [turn.t('reason.ask', { ending: ending(turn.ctx) })], { numDigits: 1 });
  }),
  offer: retentionRenderer((turn) => {
    turn.notice();
    const offer = turn.ctx.offers[turn.ctx.offerIndex]!;
    const options = offer.kind === 'explain-cover' ? 'cover.options' : 'offer.options';
    turn.askKeys('offer', [...offerLines(turn, offer), turn.t(options)], { numDigits: 1 });
  }),
  askPaymentDay: retentionRenderer((turn) => {
    turn.notice();
    turn.askKeys('payment-day', [turn.t('day.ask')], { finishOnKey: '#', speech: false });
  }),
  confirmPaymentDay: retentionRenderer((turn) => {
    turn.notice();
    const offer = turn.ctx.offers[turn.ctx.offerIndex]!;
    const amount = offer.kind === 'move-date' ? turn.money(offer.amountCents, offer.currency) : '';
    const day = turn.ctx.paymentDay!;
    turn.askKeys('confirm-day', [turn.t('day.confirm', { day: day.day, amount, date: turn.date(day.toDate) })], { numDigits: 1 });
  }),
  confirmCancel: retentionRenderer((turn) => {
    turn.notice();
    turn.askKeys('confirm-cancel', [cancelQuote(turn), turn.t('cancel.options')], { numDigits: 1 });
  }),
  offerAccepted: retentionRenderer((turn) => turn.goodbye(acceptedLine(turn))),
  policyKept: retentionRenderer((turn) => turn.goodbye(turn.t('kept'))),
  cancelled: retentionRenderer((turn) => {
    const q = turn.ctx.cancel!;
    const vars = { ending: ending(turn.ctx), date: turn.date(q.effectiveDate), refund: turn.money(q.refundCents, q.currency) };
    turn.goodbye(turn.t(q.refundCents > 0 ? 'cancelled.refund' : 'cancelled.noRefund', vars));
  }),
  // Passing states (`always`): never at rest, rendered only if a snapshot were stored in one.
  misSold: retentionRenderer((turn) => turn.goodbye()),
  routeToPerson: retentionRenderer((turn) => turn.goodbye()),
  transferToPerson: retentionRenderer((turn) => {
    const { input } = turn;
    if (turn.ctx.priority) turn.say(turn.t('misSold'));
    turn.say(turn.t('transfer.connecting'));
    holdForSpecialist(turn.vr, {
      callSid: turn.ctx.callSid, action: input.turnUrl({ step: input.step, expect: 'transfer' }), holdUrl: input.holdUrl, statusUrl: input.conferenceStatusUrl,
    });
  }),
  offerCallback: retentionRenderer((turn) => {
    const busy = turn.ctx.notice === 'no-specialist';
    if (turn.ctx.priority && turn.ctx.attempts === 0 && !busy) turn.say(turn.t('misSold'));
    turn.notice();
    const offer = busy ? turn.t('callback.offerNow') : turn.t('callback.offer', { hours: describeHours(turn.input.businessHours, turn.locale) });
    turn.askKeys('callback', [offer], { numDigits: 1 });
  }),
  callbackBooked: retentionRenderer((turn) => turn.goodbye(turn.t('callback.booked'))),
  goodbye: retentionRenderer((turn) => turn.goodbye()),
  ended: retentionRenderer((turn) => {
    turn.vr.hangup();
  }),
};

/**
 * Pure: the retention call's state to TwiML. Every state ends in a verb Twilio
 * acts on (a Gather with a Redirect for silence, a conference Dial, or words and a
 * Hangup), so the caller never hears dead air; a state no version has hangs up politely.
 */
export const renderRetentionCall = (input: RetentionRenderInput): RenderedRetention => {
  const value = input.snapshot.value;
  const state = typeof value === 'string' ? value : JSON.stringify(value);
  const render = Object.hasOwn(RENDERERS, state) ? RENDERERS[state as StateName] : RENDERERS.goodbye;
  return render(input, state);
};
