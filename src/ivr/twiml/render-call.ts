import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { InboundCallSnapshot, Locale } from '../../flows/inbound-call.machine.js';
import { describeHours, type BusinessHours } from '../../shared/business-hours.js';
import type { PromptCatalog } from '../prompts/prompt-catalog.js';
import { formatDueDate, formatMoney, spellDigits } from './format-for-speech.js';

/** What a step expects, carried in its action URL so the handler knows how to read the input. */
export type Expect =
  | 'policy-number'
  | 'verification'
  | 'policy-choice'
  | 'menu'
  | 'due-options'
  | 'card-choice'
  | 'retry-card'
  | 'declined'
  | 'confirmation'
  | 'callback'
  | 'offer-person'
  | 'pay'
  | 'payment-status'
  | 'queue';

export const EXPECTS: readonly Expect[] = [
  'policy-number', 'verification', 'policy-choice', 'menu', 'due-options', 'card-choice', 'retry-card',
  'declined', 'confirmation', 'callback', 'offer-person', 'pay', 'payment-status', 'queue',
];

export type CallUrls = {
  /** Action URL for the next turn of this call (relative to the public base URL). */
  turn: (q: { step: number; expect: Expect; noInput?: boolean }) => string;
  /** TwiML played to a caller waiting in the specialists' queue. */
  hold: string;
  /** Progress callbacks of <Pay>. */
  payStatus: string;
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
  businessHours: BusinessHours;
  /** Unique name of the Pay Connector (Stripe) installed on the Twilio account. */
  payConnector: string;
};

const NOTICE_KEY = {
  'no-input': 'input.none',
  invalid: 'input.invalid',
  'not-found': 'identify.notFound',
  'verify-failed': 'identify.verifyFailed',
  'no-due': 'due.none',
  'already-cancelled': 'cancel.alreadyCancelled',
  'card-not-captured': 'pay.cardNotCaptured',
  'payment-pending-long': 'pay.pendingLong',
} as const;

type GatherOpts = { input: 'dtmf' | 'dtmf speech'; numDigits?: number; finishOnKey?: string; hints?: string[]; timeout?: number };

/**
 * Pure: the state of a call to the TwiML Twilio should run next. Every branch
 * ends in a verb Twilio can act on (a Gather followed by a Redirect for
 * silence, a Pay, an Enqueue, or a Hangup), so the caller never hears dead air.
 */
export const renderCall = (input: RenderCallInput): RenderedCall => {
  const { snapshot, step, prompts, insurerName, urls } = input;
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
  const hints = (...keys: string[]) => keys.flatMap((k) => prompts.speech(locale)[k] ?? []);
  const amount = () => (ctx.due ? formatMoney(ctx.due.amountCents, ctx.due.currency, locale) : '');
  /** The amount and when it is (or was) due: overdue dues say so, with the grace period's last day. */
  const dueLine = () => {
    const due = ctx.due!;
    const vars = { amount: amount(), date: formatDueDate(due.dueDate, locale) };
    const graceEnd = due.graceEndDate ? formatDueDate(due.graceEndDate, locale) : null;
    if (due.standing === 'due-today') return t('due.amountToday', vars);
    if (due.standing === 'overdue' && graceEnd) return t('due.amountOverdue', { ...vars, graceEnd });
    if (due.standing === 'past-grace' && graceEnd) return t('due.amountPastGrace', { ...vars, graceEnd });
    return t('due.amount', vars);
  };

  const notice = () => {
    if (ctx.notice) say(vr, t(NOTICE_KEY[ctx.notice]));
  };
  const ask = (expect: Expect, lines: string[], opts: GatherOpts) => {
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
  const oneKey = (expect: Expect, lines: string[], ...speech: string[]) =>
    ask(expect, lines, { input: speech.length ? 'dtmf speech' : 'dtmf', numDigits: 1, hints: hints(...speech) });

  switch (state) {
    case 'askPolicyNumber': {
      if (ctx.greet && ctx.attempts === 0 && !ctx.notice) say(vr, t('greeting.unknown'));
      notice();
      ask('policy-number', [t('identify.askPolicyNumber'), t('language.offer')], {
        input: 'dtmf speech',
        finishOnKey: '#',
        timeout: 8,
        hints: hints('agent', 'language'),
      });
      break;
    }
    case 'askVerification': {
      notice();
      const key = ctx.candidate?.verifyBy === 'dob' ? 'identify.askDob' : 'identify.askVerification';
      ask('verification', [t(key)], { input: 'dtmf', numDigits: ctx.candidate?.verifyBy === 'dob' ? 8 : 5, timeout: 10 });
      break;
    }
    case 'choosePolicy': {
      const policies = ctx.identified?.policies ?? [];
      if (ctx.greet && ctx.identified && ctx.attempts === 0 && !ctx.notice) {
        say(vr, ctx.byCallerId ? t('greeting.known', { firstName: ctx.identified.firstName }) : t('identify.verified', { firstName: ctx.identified.firstName }));
      }
      notice();
      const lines = [t('policy.count', { count: policies.length })];
      policies.slice(0, 8).forEach((p, i) => {
        lines.push(t('policy.option', { ending: spellDigits(p.policyNumber.replace(/\W/g, '').slice(-4)), key: i + 1 }));
      });
      oneKey('policy-choice', lines, 'agent');
      break;
    }
    case 'mainMenu': {
      if (ctx.greet && ctx.identified) {
        say(vr, ctx.byCallerId ? t('greeting.known', { firstName: ctx.identified.firstName }) : t('identify.verified', { firstName: ctx.identified.firstName }));
      }
      notice();
      oneKey('menu', [t('menu.main'), t('language.offer')], 'agent', 'repeat', 'language', 'pay', 'due', 'cancel');
      break;
    }
    case 'amountDue': {
      oneKey('due-options', [dueLine(), t('due.options')], 'pay', 'back');
      break;
    }
    case 'chooseCard': {
      notice();
      const card = ctx.due!.cardOnFile!;
      oneKey('card-choice', [
        dueLine(),
        t('pay.chooseCard', { brand: card.brand ?? '', last4: spellDigits(card.last4 ?? '') }),
      ]);
      break;
    }
    case 'captureCard': {
      say(vr, dueLine());
      say(vr, t('pay.newCard', { amount: amount() }));
      // Tokenize only (chargeAmount 0): the charge then goes through our PaymentGateway with the
      // due's idempotency key, so every channel shares one no-double-charge guarantee.
      vr.pay({
        input: 'dtmf',
        action: urls.turn({ step, expect: 'pay' }),
        statusCallback: urls.payStatus,
        chargeAmount: '0',
        tokenType: 'payment-method',
        paymentConnector: input.payConnector,
        paymentMethod: 'credit-card',
        language: (locale === 'es-US' ? 'es-MX' : 'en-US') as never,
        maxAttempts: 3,
        securityCode: true,
        postalCode: false,
        timeout: 8,
        description: 'Premium payment',
      } as never);
      gather = { expect: 'pay', input: 'pay' };
      break;
    }
    case 'cardNotCaptured': {
      oneKey('retry-card', [t('pay.cardNotCaptured')]);
      break;
    }
    case 'paymentProcessing':
    case 'paymentWaiting': {
      say(vr, t(state === 'paymentProcessing' ? 'pay.processing' : 'pay.stillProcessing'));
      vr.pause({ length: 2 });
      vr.redirect({ method: 'POST' }, urls.turn({ step, expect: 'payment-status' }));
      break;
    }
    case 'paymentConfirmed': {
      notice();
      oneKey('confirmation', [
        t('pay.confirmed', { amount: amount(), code: spellDigits(ctx.confirmation ?? '') }),
        t('pay.confirmedOptions'),
      ]);
      break;
    }
    case 'paymentDeclined': {
      oneKey('declined', [t('pay.declined', { reason: t(`decline.${ctx.declineReason ?? 'unknown'}`) }), t('pay.declinedOptions')], 'agent');
      break;
    }
    case 'offerCallback': {
      if (ctx.personReason === 'cancel') say(vr, t('cancel.noted'));
      oneKey('callback', [t('callback.offer', { hours: describeHours(input.businessHours, locale) })], 'yes', 'back');
      break;
    }
    case 'callbackBooked': {
      oneKey('callback', [t('callback.booked')]);
      break;
    }
    case 'offerPerson': {
      oneKey('offer-person', [t('offerPerson')], 'agent');
      break;
    }
    case 'transferToPerson': {
      if (ctx.personReason === 'cancel') say(vr, t('cancel.noted'));
      say(vr, t('transfer.connecting'));
      vr.enqueue({ action: urls.turn({ step, expect: 'queue' }), method: 'POST', waitUrl: urls.hold, waitUrlMethod: 'POST' }, input.queueName);
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
