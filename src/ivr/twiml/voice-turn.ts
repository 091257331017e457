import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { Locale } from '../../flows/inbound-call.types.js';
import type { PromptCatalog } from '../prompts/prompt-catalog.js';

export type GatherOpts = { input: 'dtmf' | 'dtmf speech'; numDigits?: number; finishOnKey?: string; hints?: string[]; timeout?: number };

/** What a voice flow's turn was answered with: the TwiML, the words said in order, the input gathered. */
export type RenderedVoice<E extends string> = {
  twiml: string;
  said: string[];
  gather: { expect: E; input: string; numDigits?: number } | null;
  state: string;
  locale: Locale;
};

/**
 * One turn of a voice flow being written (the IVR's, the retention call's): the
 * TwiML document, the words said and the input gathered, in the caller's
 * language. A class so its helpers live once on the prototype rather than as
 * closures rebuilt on every voice turn.
 */
export abstract class VoiceTurn<E extends string> {
  readonly vr = new VoiceResponse();
  readonly said: string[] = [];
  gather: RenderedVoice<E>['gather'] = null;
  private readonly language: string;
  private readonly sayAttrs: { language: never; voice: never };

  constructor(
    protected readonly wording: { prompts: PromptCatalog; insurerName: string; step: number },
    readonly locale: Locale,
    readonly state: string,
  ) {
    const v = wording.prompts.voice(locale);
    this.language = v.language;
    this.sayAttrs = { language: v.language as never, voice: v.voice as never };
  }

  /** The action URL of this flow's next turn (relative to the public base URL). */
  protected abstract turnUrl(q: { step: number; expect: E; noInput?: boolean }): string;

  /** The prompt `key` in the caller's language, with the insurer's name available to every prompt. */
  t(key: string, vars: Record<string, string | number> = {}): string {
    return this.wording.prompts.text(this.locale, key, { insurer: this.wording.insurerName, ...vars });
  }

  /** Says `text` inside `target` (the response, or a Gather) and records it. */
  say(text: string, target: { say: VoiceResponse['say'] } = this.vr): void {
    this.said.push(text);
    target.say(this.sayAttrs, text);
  }

  /** Asks with a Gather; silence becomes a turn of its own (expect + noinput). */
  ask(expect: E, lines: string[], opts: GatherOpts): void {
    const { step } = this.wording;
    const g = this.vr.gather({
      input: opts.input.split(' ') as never,
      action: this.turnUrl({ step, expect }),
      method: 'POST',
      timeout: opts.timeout ?? 6,
      ...(opts.numDigits ? { numDigits: opts.numDigits } : {}),
      ...(opts.finishOnKey !== undefined ? { finishOnKey: opts.finishOnKey } : {}),
      ...(opts.input.includes('speech')
        ? { language: this.language as never, speechTimeout: 'auto', hints: (opts.hints ?? []).join(', ') }
        : {}),
      actionOnEmptyResult: false,
    });
    for (const line of lines) this.say(line, g);
    this.gather = { expect, input: opts.input, ...(opts.numDigits ? { numDigits: opts.numDigits } : {}) };
    // why: with no input Twilio falls through to the next verb; this makes silence a turn of its own.
    this.vr.redirect({ method: 'POST' }, this.turnUrl({ step, expect, noInput: true }));
  }

  result(): RenderedVoice<E> {
    return { twiml: this.vr.toString(), said: this.said, gather: this.gather, state: this.state, locale: this.locale };
  }
}
