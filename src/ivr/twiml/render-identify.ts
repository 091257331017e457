import { spellDigits } from './format-for-speech.js';
import { stateRenderer, type CallTurn, type StateRenderers } from './call-turn.js';

/**
 * Identification: the policy number, one verification factor, and which
 * policy the call is about. The first prompt a caller hears carries the
 * welcome, once (greet), unless a notice explains a repeat.
 */

/** Known by caller ID: hello by name; just verified: thanks by name. */
export const greetIdentified = (turn: CallTurn) => {
  const { ctx } = turn;
  const firstName = ctx.identified!.firstName;
  turn.say(ctx.byCallerId ? turn.t('greeting.known', { firstName }) : turn.t('identify.verified', { firstName }));
};

export const identifyRenderers: StateRenderers<'askPolicyNumber' | 'askVerification' | 'choosePolicy'> = {
  askPolicyNumber: stateRenderer((turn) => {
    const { ctx } = turn;
    if (ctx.greet && ctx.attempts === 0 && !ctx.notice) turn.say(turn.t('greeting.unknown'));
    turn.notice();
    turn.ask('policy-number', [turn.t('identify.askPolicyNumber'), turn.t('language.offer')], {
      input: 'dtmf speech',
      finishOnKey: '#',
      timeout: 8,
      hints: turn.hints('agent', 'language'),
    });
  }),
  // A date of birth is eight digits (MMDDYYYY), a ZIP code five; both keyed, never spoken.
  askVerification: stateRenderer((turn) => {
    turn.notice();
    const byDob = turn.ctx.candidate?.verifyBy === 'dob';
    turn.ask('verification', [turn.t(byDob ? 'identify.askDob' : 'identify.askVerification')], {
      input: 'dtmf',
      numDigits: byDob ? 8 : 5,
      timeout: 10,
    });
  }),
  // Policies are told by the last four characters of their number; one key each, eight at most.
  choosePolicy: stateRenderer((turn) => {
    const { ctx } = turn;
    const policies = ctx.identified?.policies ?? [];
    if (ctx.greet && ctx.identified && ctx.attempts === 0 && !ctx.notice) greetIdentified(turn);
    turn.notice();
    const lines = [turn.t('policy.count', { count: policies.length })];
    policies.slice(0, 8).forEach((p, i) => {
      lines.push(turn.t('policy.option', { ending: spellDigits(p.policyNumber.replace(/\W/g, '').slice(-4)), key: i + 1 }));
    });
    turn.oneKey('policy-choice', lines, 'agent');
  }),
};
