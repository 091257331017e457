import type { RetentionCallContext, RetentionCallSnapshot } from '../../flows/retention-call.machine.js';
import type { PromptCatalog } from '../../ivr/prompts/prompt-catalog.js';
import { formatDueDate } from '../../ivr/twiml/format-for-speech.js';
import { VoiceTurn, type RenderedVoice } from '../../ivr/twiml/voice-turn.js';
import type { BusinessHours } from '../../shared/business-hours.js';
import { formatMoney } from '../../shared/format-money.js';
import type { ProductTerms } from '../offers/offer-rules-config.js';

/** What a retention step expects, carried in its action URL so the handler knows how to read the input. */
export const RETENTION_EXPECTS = ['start', 'reason', 'offer', 'payment-day', 'confirm-day', 'confirm-cancel', 'callback', 'transfer'] as const;
export type RetentionExpect = (typeof RETENTION_EXPECTS)[number];

export type RetentionRenderInput = {
  snapshot: RetentionCallSnapshot;
  step: number;
  prompts: PromptCatalog;
  insurerName: string;
  turnUrl: (q: { step: number; expect: RetentionExpect; noInput?: boolean }) => string;
  holdUrl: string;
  /** Where the transfer conference's status callbacks go. */
  conferenceStatusUrl: string;
  businessHours: BusinessHours;
  /** Each product's terms (the cover explained to a caller weighing cancelling it). */
  products: Readonly<Record<string, ProductTerms>>;
};

export type RenderedRetention = RenderedVoice<RetentionExpect>;

const NOTICE = { 'no-input': 'input.none', invalid: 'input.invalid', 'bad-day': 'day.bad', 'no-specialist': 'transfer.none' } as const;

/** One retention turn being written (see VoiceTurn): its context, money and dates as said, its goodbye. */
export class RetentionTurn extends VoiceTurn<RetentionExpect> {
  readonly ctx: RetentionCallContext;

  constructor(readonly input: RetentionRenderInput, state: string) {
    super(input, input.snapshot.context.locale, state);
    this.ctx = input.snapshot.context;
  }

  protected turnUrl(q: { step: number; expect: RetentionExpect; noInput?: boolean }): string {
    return this.input.turnUrl(q);
  }

  money(cents: number, currency: string): string {
    return formatMoney(cents, currency, this.locale);
  }

  date(isoDay: string): string {
    return formatDueDate(isoDay, this.locale);
  }

  notice(): void {
    if (this.ctx.notice) this.say(this.t(NOTICE[this.ctx.notice]));
  }

  /** Asks with keys (and speech, unless `speech: false`), listening for every word of the retention vocabulary. */
  askKeys(expect: RetentionExpect, lines: string[], opts: { numDigits?: number; finishOnKey?: string; speech?: boolean } = {}): void {
    const speech = opts.speech ?? true;
    this.ask(expect, lines, {
      input: speech ? 'dtmf speech' : 'dtmf',
      ...(opts.numDigits ? { numDigits: opts.numDigits } : {}),
      ...(opts.finishOnKey !== undefined ? { finishOnKey: opts.finishOnKey } : {}),
      hints: speech ? Object.values(this.input.prompts.speech(this.locale)).flat() : [],
    });
  }

  /** Says goodbye and ends the call: every final state ends with words and a hang-up, never silence. */
  goodbye(...lines: string[]): void {
    for (const line of lines) this.say(line);
    this.say(this.t('goodbye'));
    this.vr.hangup();
  }
}

export type RetentionRenderer = (input: RetentionRenderInput, state: string) => RenderedRetention;

export const retentionRenderer =
  (write: (turn: RetentionTurn) => void): RetentionRenderer =>
  (input, state) => {
    const turn = new RetentionTurn(input, state);
    write(turn);
    return turn.result();
  };
