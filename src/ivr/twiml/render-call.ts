import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { Locale } from '../../flows/inbound-call.machine.js';
import type { PromptCatalog } from '../prompts/prompt-catalog.js';
import type { CallStateName } from './call-states.js';
import type { RenderCallInput, RenderedCall, StateRenderer } from './call-turn.js';
import { goodbyeRenderers, renderHangUp } from './render-goodbye.js';
import { identifyRenderers } from './render-identify.js';
import { menuRenderers } from './render-menu.js';
import { passingRenderers } from './render-passing.js';
import { paymentRenderers } from './render-payment.js';
import { personRenderers } from './render-person.js';

export { EXPECTS, type CallUrls, type Expect, type RenderCallInput, type RenderedCall } from './call-turn.js';

/** A renderer for every state of the call machines (all versions); a missing one fails typecheck. */
export type CallRenderers = { readonly [S in CallStateName]: StateRenderer };

/** Built once at load: a voice turn is one lookup here, then its renderer. */
export const CALL_RENDERERS: CallRenderers = {
  ...identifyRenderers,
  ...menuRenderers,
  ...paymentRenderers,
  ...personRenderers,
  ...goodbyeRenderers,
  ...passingRenderers,
};

/**
 * Pure: the state of a call to the TwiML Twilio should run next. Every
 * renderer ends in a verb Twilio can act on (a Gather followed by a Redirect
 * for silence, a Pay, an Enqueue, or a Hangup), so the caller never hears dead
 * air. A state no deployed machine has (a snapshot from a retired version)
 * hangs up, as 'ended' does.
 */
export const renderCall = (input: RenderCallInput): RenderedCall => {
  const value = input.snapshot.value;
  const state = typeof value === 'string' ? value : JSON.stringify(value);
  const render = Object.hasOwn(CALL_RENDERERS, state) ? CALL_RENDERERS[state as CallStateName] : renderHangUp;
  return render(input, state);
};

/** The answer when anything goes wrong mid-call: an apology and a clean hang-up, never a 500. */
export const renderTechnicalError = (prompts: PromptCatalog, locale: Locale, insurerName: string): string => {
  const v = prompts.voice(locale);
  const vr = new VoiceResponse();
  vr.say({ language: v.language as never, voice: v.voice as never }, prompts.text(locale, 'error.technical', { insurer: insurerName }));
  vr.hangup();
  return vr.toString();
};
