import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { InboundCallSnapshot, Locale } from '../../flows/inbound-call.machine.js';
import type { PromptCatalog } from '../prompts/prompt-catalog.js';

/** What a gather step expects, carried in its action URL so the handler knows how to read the input. */
export type Expect = 'policy-number' | 'verification' | 'menu' | 'queue';

export type CallUrls = {
  /** Action URL for the next turn of this call (relative to the public base URL). */
  turn: (q: { step: number; expect: Expect; noInput?: boolean }) => string;
  /** TwiML played to a caller waiting in the specialists' queue. */
  hold: string;
};

/** The rendered answer and what the caller was told, for the evidence log. */
export type RenderedCall = {
  twiml: string;
  said: string[];
  gather: { expect: Expect; input: string; numDigits?: number } | null;
  state: string;
  locale: Locale;
};

export type RenderCallInput = {
  snapshot: InboundCallSnapshot;
  step: number;
  prompts: PromptCatalog;
  insurerName: string;
  urls: CallUrls;
  /** Name of the Twilio queue where callers wait for a specialist. */
  queueName: string;
};

const NOTICE_KEY = {
  'no-input': 'input.none',
  invalid: 'input.invalid',
  'not-found': 'identify.notFound',
  'verify-failed': 'identify.verifyFailed',
} as const;

/**
 * Pure: the state of a call to the TwiML Twilio should run next. Every branch
 * ends in a verb Twilio can act on (a Gather followed by a Redirect for
 * silence, an Enqueue, or a Hangup), so the caller never hears dead air.
 */
export const renderCall = ({ snapshot, step, prompts, insurerName, urls, queueName }: RenderCallInput): RenderedCall => {
  const ctx = snapshot.context;
  const locale = ctx.locale;
  const v = prompts.voice(locale);
  const sayAttrs = { language: v.language as never, voice: v.voice as never };
  const vr = new VoiceResponse();
  const said: string[] = [];
  const t = (key: string, vars: Record<string, string | number> = {}) => prompts.text(locale, key, { insurer: insurerName, ...vars });
  const say = (target: { say: VoiceResponse['say'] }, text: string) => {
    said.push(text);
    target.say(sayAttrs, text);
  };
  const state = typeof snapshot.value === 'string' ? snapshot.value : JSON.stringify(snapshot.value);
  let gather: RenderedCall['gather'] = null;

  const notice = () => {
    if (ctx.notice) say(vr, t(NOTICE_KEY[ctx.notice]));
  };
  const ask = (
    expect: Expect,
    lines: string[],
    opts: { input: 'dtmf' | 'dtmf speech'; numDigits?: number; finishOnKey?: string; hints?: string[]; timeout?: number },
  ) => {
    const g = vr.gather({
      input: opts.input.split(' ') as never,
      action: urls.turn({ step, expect }),
      method: 'POST',
      timeout: opts.timeout ?? 6,
      ...(opts.numDigits ? { numDigits: opts.numDigits } : {}),
      ...(opts.finishOnKey !== undefined ? { finishOnKey: opts.finishOnKey } : {}),
      ...(opts.input.includes('speech')
        ? { language: v.language as never, speechTimeout: 'auto', hints: (opts.hints ?? []).join(', ') }
        : {}),
      actionOnEmptyResult: false,
    });
    for (const line of lines) say(g, line);
    gather = { expect, input: opts.input, ...(opts.numDigits ? { numDigits: opts.numDigits } : {}) };
    // why: with no input Twilio falls through to the next verb; this makes silence a turn of its own.
    vr.redirect({ method: 'POST' }, urls.turn({ step, expect, noInput: true }));
  };
  const speechHints = (...keys: string[]) => keys.flatMap((k) => prompts.speech(locale)[k] ?? []);

  switch (state) {
    case 'askPolicyNumber': {
      if (ctx.attempts === 0 && !ctx.notice) say(vr, t('greeting.unknown'));
      notice();
      ask('policy-number', [t('identify.askPolicyNumber'), t('language.offer')], {
        input: 'dtmf speech',
        finishOnKey: '#',
        timeout: 8,
        hints: speechHints('agent', 'language'),
      });
      break;
    }
    case 'askVerification': {
      notice();
      ask('verification', [t('identify.askVerification')], { input: 'dtmf', numDigits: 5, timeout: 8 });
      break;
    }
    case 'mainMenu': {
      if (ctx.greet && ctx.identified) {
        say(vr, ctx.byCallerId ? t('greeting.known', { firstName: ctx.identified.firstName }) : t('identify.verified', { firstName: ctx.identified.firstName }));
      }
      notice();
      ask('menu', [t('menu.main'), t('language.offer')], {
        input: 'dtmf speech',
        numDigits: 1,
        hints: speechHints('agent', 'repeat', 'language'),
      });
      break;
    }
    case 'offerPerson': {
      ask('menu', [t('offerPerson')], { input: 'dtmf speech', numDigits: 1, hints: speechHints('agent') });
      break;
    }
    case 'transferToPerson': {
      say(vr, t('transfer.connecting'));
      vr.enqueue({ action: urls.turn({ step, expect: 'queue' }), method: 'POST', waitUrl: urls.hold, waitUrlMethod: 'POST' }, queueName);
      break;
    }
    case 'goodbye': {
      say(vr, ctx.endReason === 'queue' ? t('transfer.unavailable') : t('goodbye'));
      vr.hangup();
      break;
    }
    default: {
      // 'ended' (the caller hung up) or any state without words: nothing to say.
      vr.hangup();
    }
  }
  return { twiml: vr.toString(), said, gather, state, locale };
};

/** The answer when anything goes wrong mid-call: an apology and a clean hang-up, never a 500. */
export const renderTechnicalError = (prompts: PromptCatalog, locale: Locale, insurerName: string): string => {
  const v = prompts.voice(locale);
  const vr = new VoiceResponse();
  vr.say({ language: v.language as never, voice: v.voice as never }, prompts.text(locale, 'error.technical', { insurer: insurerName }));
  vr.hangup();
  return vr.toString();
};
