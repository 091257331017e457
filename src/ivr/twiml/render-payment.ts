import { spellDigits } from './format-for-speech.js';
import { stateRenderer, type StateRenderer, type StateRenderers } from './call-turn.js';

/**
 * Paying the premium: the card on file or a new card taken by <Pay>, the hold
 * while the charge runs (polled by Redirect), and its outcome. Contract: the
 * machine enters chooseCard and captureCard only with a due (and chooseCard
 * only with a card on file).
 */

/** The hold while the charge job runs: a short pause, then ask for the payment's status. */
const hold = (key: string): StateRenderer =>
  stateRenderer((turn) => {
    turn.say(turn.t(key));
    turn.vr.pause({ length: 2 });
    turn.vr.redirect({ method: 'POST' }, turn.input.urls.turn({ step: turn.input.step, expect: 'payment-status' }));
  });

export const paymentRenderers: StateRenderers<
  | 'chooseCard'
  | 'captureCard'
  | 'cardNotCaptured'
  | 'paymentProcessing'
  | 'paymentWaiting'
  | 'paymentConfirmed'
  | 'paymentDeclined'
> = {
  chooseCard: stateRenderer((turn) => {
    turn.notice();
    const card = turn.ctx.due!.cardOnFile!;
    turn.oneKey('card-choice', [
      turn.dueLine(),
      turn.t('pay.chooseCard', { brand: card.brand ?? '', last4: spellDigits(card.last4 ?? '') }),
    ]);
  }),
  captureCard: stateRenderer((turn) => {
    const { input } = turn;
    turn.say(turn.dueLine());
    turn.say(turn.t('pay.newCard', { amount: turn.amount() }));
    // Tokenize only (chargeAmount 0): the charge then goes through our PaymentGateway with the
    // due's idempotency key, so every channel shares one no-double-charge guarantee.
    turn.vr.pay({
      input: 'dtmf',
      action: input.urls.turn({ step: input.step, expect: 'pay' }),
      statusCallback: input.urls.payStatus,
      chargeAmount: '0',
      tokenType: 'payment-method',
      paymentConnector: input.payConnector,
      paymentMethod: 'credit-card',
      language: (turn.locale === 'es-US' ? 'es-MX' : 'en-US') as never,
      maxAttempts: 3,
      securityCode: true,
      postalCode: false,
      timeout: 8,
      description: 'Premium payment',
    } as never);
    turn.gather = { expect: 'pay', input: 'pay' };
  }),
  cardNotCaptured: stateRenderer((turn) => {
    turn.oneKey('retry-card', [turn.t('pay.cardNotCaptured')]);
  }),
  paymentProcessing: hold('pay.processing'),
  paymentWaiting: hold('pay.stillProcessing'),
  paymentConfirmed: stateRenderer((turn) => {
    turn.notice();
    turn.oneKey('confirmation', [
      turn.t('pay.confirmed', { amount: turn.amount(), code: spellDigits(turn.ctx.confirmation ?? '') }),
      turn.t('pay.confirmedOptions'),
    ]);
  }),
  paymentDeclined: stateRenderer((turn) => {
    const reason = turn.t(`decline.${turn.ctx.declineReason ?? 'unknown'}`);
    turn.oneKey('declined', [turn.t('pay.declined', { reason }), turn.t('pay.declinedOptions')], 'agent');
  }),
};
