import { describeHours } from '../../shared/business-hours.js';
import { holdForSpecialist } from './hold-for-specialist.js';
import { stateRenderer, type StateRenderers } from './call-turn.js';

/**
 * Routes to a person: the specialists' queue in business hours, a callback
 * offer outside them, and the offer of a person when self-service fails.
 * A caller routed because they asked to cancel first hears that it is noted.
 */
export const personRenderers: StateRenderers<'offerCallback' | 'callbackBooked' | 'offerPerson' | 'transferToPerson' | 'holdForSpecialist' | 'retention'> = {
  offerCallback: stateRenderer((turn) => {
    // After a transfer nobody took: sorry, and the callback; else the hours when someone is there.
    if (turn.ctx.notice === 'no-specialist') {
      turn.notice();
      turn.oneKey('callback', [turn.t('callback.offerNow')], 'yes', 'back');
      return;
    }
    if (turn.ctx.personReason === 'cancel') turn.say(turn.t('cancel.noted'));
    const hours = describeHours(turn.input.businessHours, turn.locale);
    turn.oneKey('callback', [turn.t('callback.offer', { hours })], 'yes', 'back');
  }),
  callbackBooked: stateRenderer((turn) => {
    turn.oneKey('callback', [turn.t('callback.booked')]);
  }),
  offerPerson: stateRenderer((turn) => {
    turn.oneKey('offer-person', [turn.t('offerPerson')], 'agent');
  }),
  // A caller cancelling an identified policy: the retention call takes over from its first turn.
  retention: stateRenderer((turn) => {
    turn.vr.redirect({ method: 'POST' }, turn.input.urls.retention);
  }),
  // Version 3: the caller holds in their own conference while specialists are rung (a warm transfer).
  holdForSpecialist: stateRenderer((turn) => {
    const { input } = turn;
    turn.say(turn.t('transfer.connecting'));
    holdForSpecialist(turn.vr, {
      callSid: turn.ctx.callSid, action: input.urls.turn({ step: input.step, expect: 'transfer' }), holdUrl: input.urls.hold, statusUrl: input.urls.conferenceStatus,
    });
  }),
  // Versions 1 and 2: the <Enqueue> action is asked when the caller leaves the queue (QUEUE_LEFT); the hold URL plays meanwhile.
  transferToPerson: stateRenderer((turn) => {
    const { input } = turn;
    if (turn.ctx.personReason === 'cancel') turn.say(turn.t('cancel.noted'));
    turn.say(turn.t('transfer.connecting'));
    turn.vr.enqueue(
      { action: input.urls.turn({ step: input.step, expect: 'queue' }), method: 'POST', waitUrl: input.urls.hold, waitUrlMethod: 'POST' },
      input.queueName,
    );
  }),
};
