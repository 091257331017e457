import { stateRenderer, type StateRenderer, type StateRenderers } from './call-turn.js';

/** The end of a call: a goodbye (or an apology when the queue failed), then Hangup. */

/** Hangs up without a word: for a caller who already hung up, and for any state that has no words. */
export const renderHangUp: StateRenderer = stateRenderer((turn) => {
  turn.vr.hangup();
});

export const goodbyeRenderers: StateRenderers<'goodbye' | 'ended'> = {
  goodbye: stateRenderer((turn) => {
    turn.say(turn.ctx.endReason === 'queue' ? turn.t('transfer.unavailable') : turn.t('goodbye'));
    turn.vr.hangup();
  }),
  // The caller hung up: nobody hears the answer.
  ended: renderHangUp,
};
