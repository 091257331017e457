import VoiceResponse from 'twilio/lib/twiml/VoiceResponse.js';
import type { InboundCallContext, InboundCallSnapshot, Locale } from '../../flows/inbound-call.machine.js';
import type { BusinessHours } from '../../shared/business-hours.js';
import type { PromptCatalog } from '../prompts/prompt-catalog.js';
import type { CallStateName } from './call-states.js';
import { formatMoney } from '../../shared/format-money.js';
import { formatDueDate } from './format-for-speech.js';

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

/**
 * Renders one state: pure, the input in, the TwiML and the words said out.
 * `state` is the snapshot's state name (as recorded in the evidence).
 */
export type StateRenderer = (input: RenderCallInput, state: string) => RenderedCall;

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

export type GatherOpts = { input: 'dtmf' | 'dtmf speech'; numDigits?: number; finishOnKey?: string; hints?: string[]; timeout?: number };

/**
 * One turn being written: the TwiML document, the words said (in order) and
 * the input gathered. A class so its helpers live once on the prototype
 * rather than as closures rebuilt on every voice turn.
 */
export class CallTurn {
  readonly vr = new VoiceResponse();
  readonly said: string[] = [];
  gather: RenderedCall['gather'] = null;
  readonly ctx: InboundCallContext;
  readonly locale: Locale;
  private readonly language: string;
  private readonly sayAttrs: { language: never; voice: never };

  constructor(
    readonly input: RenderCallInput,
    readonly state: string,
  ) {
    this.ctx = input.snapshot.context;
    this.locale = this.ctx.locale;
    const v = input.prompts.voice(this.locale);
    this.language = v.language;
    this.sayAttrs = { language: v.language as never, voice: v.voice as never };
  }

  /** The prompt `key` in the caller's language, with the insurer's name available to every prompt. */
  t(key: string, vars: Record<string, string | number> = {}): string {
    return this.input.prompts.text(this.locale, key, { insurer: this.input.insurerName, ...vars });
  }

  /** Says `text` inside `target` (the response, or a Gather) and records it. */
  say(text: string, target: { say: VoiceResponse['say'] } = this.vr): void {
    this.said.push(text);
    target.say(this.sayAttrs, text);
  }

  /** Says why the prompt is repeated or what just happened, when the machine left a notice. */
  notice(): void {
    if (this.ctx.notice) this.say(this.t(NOTICE_KEY[this.ctx.notice]));
  }

  /** Speech recognition hints for these speech keys, in the caller's language. */
  hints(...keys: string[]): string[] {
    const speech = this.input.prompts.speech(this.locale);
    return keys.flatMap((k) => speech[k] ?? []);
  }

  amount(): string {
    const due = this.ctx.due;
    return due ? formatMoney(due.amountCents, due.currency, this.locale) : '';
  }

  /** The amount and when it is (or was) due: overdue dues say so, with the grace period's last day. */
  dueLine(): string {
    const due = this.ctx.due!;
    const vars = { amount: this.amount(), date: formatDueDate(due.dueDate, this.locale) };
    const graceEnd = due.graceEndDate ? formatDueDate(due.graceEndDate, this.locale) : null;
    if (due.standing === 'due-today') return this.t('due.amountToday', vars);
    if (due.standing === 'overdue' && graceEnd) return this.t('due.amountOverdue', { ...vars, graceEnd });
    if (due.standing === 'past-grace' && graceEnd) return this.t('due.amountPastGrace', { ...vars, graceEnd });
    return this.t('due.amount', vars);
  }

  /** Asks with a Gather; silence becomes a turn of its own (expect + noinput). */
  ask(expect: Expect, lines: string[], opts: GatherOpts): void {
    const { step, urls } = this.input;
    const g = this.vr.gather({
      input: opts.input.split(' ') as never,
      action: urls.turn({ step, expect }),
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
    this.vr.redirect({ method: 'POST' }, urls.turn({ step, expect, noInput: true }));
  }

  /** Asks for one key, also listening for these speech keys when any are given. */
  oneKey(expect: Expect, lines: string[], ...speech: string[]): void {
    this.ask(expect, lines, { input: speech.length ? 'dtmf speech' : 'dtmf', numDigits: 1, hints: this.hints(...speech) });
  }

  result(): RenderedCall {
    return { twiml: this.vr.toString(), said: this.said, gather: this.gather, state: this.state, locale: this.locale };
  }
}

/**
 * A state renderer from what it writes into the turn. Called once per state
 * at module load, so a voice turn builds only its CallTurn.
 */
export const stateRenderer =
  (write: (turn: CallTurn) => void): StateRenderer =>
  (input, state) => {
    const turn = new CallTurn(input, state);
    write(turn);
    return turn.result();
  };

/** The renderers of a group of states, keyed by state name. */
export type StateRenderers<S extends CallStateName> = { readonly [K in S]: StateRenderer };
