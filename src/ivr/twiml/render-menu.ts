import { greetIdentified } from './render-identify.js';
import { stateRenderer, type StateRenderers } from './call-turn.js';

/** The self-service menu and the amount due, both one key (or a spoken word) away from the next step. */
export const menuRenderers: StateRenderers<'mainMenu' | 'amountDue'> = {
  mainMenu: stateRenderer((turn) => {
    const { ctx } = turn;
    if (ctx.greet && ctx.identified) greetIdentified(turn);
    turn.notice();
    turn.oneKey('menu', [turn.t('menu.main'), turn.t('language.offer')], 'agent', 'repeat', 'language', 'pay', 'due', 'cancel');
  }),
  // Contract: the machine enters amountDue only with a due (no due goes back to the menu with a notice).
  amountDue: stateRenderer((turn) => {
    turn.oneKey('due-options', [turn.dueLine(), turn.t('due.options')], 'pay', 'back');
  }),
};
