import type { StateRenderers } from './call-turn.js';
import { renderHangUp } from './render-goodbye.js';

/**
 * States a turn never rests in: each passes straight on (`always`) to a state
 * with words, so a snapshot never shows them. Should one ever be rendered, the
 * call ends cleanly rather than leaving dead air.
 */
export const passingRenderers: StateRenderers<
  'start' | 'identifiedCaller' | 'cancelRequested' | 'routeToPerson' | 'returnToMenu'
> = {
  start: renderHangUp,
  identifiedCaller: renderHangUp,
  cancelRequested: renderHangUp,
  routeToPerson: renderHangUp,
  returnToMenu: renderHangUp,
};
