import type { InboundCallContext, InboundCallSnapshot } from '../../flows/inbound-call.machine.js';
import type { BusinessHours } from '../../shared/business-hours.js';
import type { PromptCatalog } from '../prompts/prompt-catalog.js';
import type { CallStateName } from './call-states.js';
import { formatMoney } from '../../shared/format-money.js';
import { formatDueDate } from './format-for-speech.js';
import { VoiceTurn, type RenderedVoice } from './voice-turn.js';

export type { GatherOpts } from './voice-turn.js';

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
  | 'queue'
  | 'transfer';

export const EXPECTS: readonly Expect[] = [
  'policy-number', 'verification', 'policy-choice', 'menu', 'due-options', 'card-choice', 'retry-card',
  'declined', 'confirmation', 'callback', 'offer-person', 'pay', 'payment-status', 'queue', 'transfer',
];

export type CallUrls = {
  /** Action URL for the next turn of this call (relative to the public base URL). */
  turn: (q: { step: number; expect: Expect; noInput?: boolean }) => string;
  /** TwiML played to a caller waiting in the specialists' queue. */
  hold: string;
  /** Progress callbacks of <Pay>. */
  payStatus: string;
  /** Where a call is handed over to the retention call (its first turn). */
  retention: string;
  /** Where the conference a caller holds in for a warm transfer posts its status callbacks. */
  conferenceStatus: string;
};

/** The rendered answer and what the caller was told, for the evidence log. */
export type RenderedCall = RenderedVoice<Expect>;

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
  'no-specialist': 'transfer.none',
} as const;

/**
 * One IVR turn being written (see VoiceTurn): the call's context, its notices,
 * amounts and the one-key prompts of the menus.
 */
export class CallTurn extends VoiceTurn<Expect> {
  readonly ctx: InboundCallContext;

  constructor(
    readonly input: RenderCallInput,
    state: string,
  ) {
    super(input, input.snapshot.context.locale, state);
    this.ctx = input.snapshot.context;
  }

  protected turnUrl(q: { step: number; expect: Expect; noInput?: boolean }): string {
    return this.input.urls.turn(q);
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

  /** Asks for one key, also listening for these speech keys when any are given. */
  oneKey(expect: Expect, lines: string[], ...speech: string[]): void {
    this.ask(expect, lines, { input: speech.length ? 'dtmf speech' : 'dtmf', numDigits: 1, hints: this.hints(...speech) });
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
