import type { CallEvent } from './call-events.js';
import { PAY_RESULTS } from '../../shared/webhook-edge/twilio-pay-results.js';
import type { ConferenceOutcome, DialOutcome, EnqueueOutcome, GatherInput, InputProvider, PayOutcome } from './input-provider.js';

/** One step of a caller script, consumed in order by `<Gather>`, `<Pay>`, `<Dial>` and `<Enqueue>`. */
export type ScriptStep =
  | { digits: string }
  | { speech: string; confidence?: number }
  | { silence: true }
  | { pay: PayOutcome }
  | { dial: DialOutcome }
  | { enqueue: EnqueueOutcome }
  | 'hangup';

/** Options of {@link createScriptedInput}. */
export type ScriptedInputOptions = {
  /** What the caller does once the script is used up: hang up (default) or stay silent. */
  whenExhausted?: 'hangup' | 'silence';
  /** Receives every call event (e.g. to log what the caller hears); the call waits for a returned promise. */
  onEvent?: (event: CallEvent) => void | Promise<void>;
  /**
   * Real milliseconds to wait per second of `<Pause>` (default 0: pauses are instant). A fraction of
   * Twilio's real pacing gives workers time to act while a flow holds the caller, as on a real call.
   */
  pauseMsPerSecond?: number;
};

/** A scripted caller; `remaining` tells how many steps were not used. */
export type ScriptedInput = InputProvider & { readonly remaining: number; readonly heard: CallEvent[] };

const DIAL_STATUSES = ['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled'] as const;

const isOneOf = <T extends string>(values: readonly T[], value: string): value is T => (values as readonly string[]).includes(value);

const describe = (step: ScriptStep): string => (typeof step === 'string' ? step : JSON.stringify(step));

/**
 * A caller who follows a fixed script. A step of the wrong kind for the verb
 * being played (e.g. `{ dial }` at a `<Gather>`) throws, so a test whose
 * script no longer matches the flow fails loudly instead of drifting.
 */
export const createScriptedInput = (steps: readonly ScriptStep[], options: ScriptedInputOptions = {}): ScriptedInput => {
  const queue = [...steps];
  const heard: CallEvent[] = [];
  const exhausted = options.whenExhausted ?? 'hangup';

  const take = <T>(verb: string, accept: (s: ScriptStep) => T | undefined, onEmpty: () => T): T => {
    const step = queue[0];
    if (step === undefined) return onEmpty();
    if (step === 'hangup') {
      queue.shift();
      return 'hangup' as T;
    }
    const value = accept(step);
    if (value === undefined) throw new Error(`Caller script: <${verb}> is playing but the next step is ${describe(step)}.`);
    queue.shift();
    return value;
  };

  const gather = async (): Promise<GatherInput> =>
    take<GatherInput>(
      'Gather',
      (s) => (typeof s === 'object' && ('digits' in s || 'speech' in s || 'silence' in s) ? s : undefined),
      () => (exhausted === 'hangup' ? 'hangup' : { silence: true }),
    );

  const pay = async (): Promise<PayOutcome | 'hangup'> =>
    take<PayOutcome | 'hangup'>('Pay', (s) => (typeof s === 'object' && 'pay' in s ? s.pay : undefined), () => 'hangup');

  const dial = async (): Promise<DialOutcome | 'hangup'> =>
    take<DialOutcome | 'hangup'>('Dial', (s) => (typeof s === 'object' && 'dial' in s ? s.dial : undefined), () => 'hangup');

  // A queue wait needs no script step unless the test wants a particular QueueResult.
  const enqueue = async (): Promise<EnqueueOutcome | 'hangup'> => {
    const step = queue[0];
    if (step === 'hangup') return take('Enqueue', () => undefined, () => 'hangup' as const);
    if (typeof step === 'object' && 'enqueue' in step) {
      queue.shift();
      return step.enqueue;
    }
    return { result: 'bridged' };
  };

  // In a conference the next `dial` step is how long the caller talks before hanging up, `hangup` hangs
  // up at once; any other step (or none) stays until the conference lets the caller go.
  const conference = async (): Promise<ConferenceOutcome> => {
    const step = queue[0];
    if (step === 'hangup') return take('Conference', () => undefined, () => 'hangup' as const) as 'hangup';
    if (typeof step !== 'object' || !('dial' in step)) return 'stay';
    queue.shift();
    return step.dial.status === undefined || step.dial.status === 'answered' || step.dial.status === 'completed'
      ? { hangUpAfterSeconds: step.dial.duration ?? 30 }
      : 'hangup';
  };

  return {
    get remaining() {
      return queue.length;
    },
    heard,
    hear: async (event) => {
      heard.push(event);
      await options.onEvent?.(event);
      if (event.type === 'pause' && options.pauseMsPerSecond) {
        await new Promise((resolve) => setTimeout(resolve, event.length * options.pauseMsPerSecond!));
      }
    },
    gather,
    pay,
    dial,
    enqueue,
    conference,
  };
};

/** A caller who never presses anything (and so never ends the call first). */
export const silentCaller = (): InputProvider => createScriptedInput([], { whenExhausted: 'silence' });

/**
 * Parses a compact script as typed on the command line: comma-separated
 * steps where `1`, `12#` are digits, `say:words` is speech, `-` or `silence`
 * is silence, `hangup` hangs up, `pay`/`pay:<result>` completes a `<Pay>` (`pay:<card number>`
 * keys that card, e.g. one of Stripe's test cards), and
 * `dial:<status>` ends a `<Dial>`.
 */
export const parseScript = (spec: string): ScriptStep[] =>
  spec
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((token): ScriptStep => {
      if (token === 'hangup') return 'hangup';
      if (token === '-' || token === 'silence') return { silence: true };
      if (token.startsWith('say:')) return { speech: token.slice(4), confidence: 0.9 };
      if (token === 'pay') return { pay: {} };
      if (/^pay:[\d ]{12,23}$/.test(token)) return { pay: { cardNumber: token.slice(4).replace(/ /g, '') } };
      if (token.startsWith('pay:')) {
        const result = token.slice(4);
        if (!isOneOf(PAY_RESULTS, result)) throw new Error(`Unknown pay result "${result}" (${PAY_RESULTS.join(', ')}).`);
        return { pay: { result } };
      }
      if (token.startsWith('dial:')) {
        const status = token.slice(5);
        if (!isOneOf(DIAL_STATUSES, status)) throw new Error(`Unknown dial status "${status}" (${DIAL_STATUSES.join(', ')}).`);
        return { dial: { status } };
      }
      if (/^[0-9*#]+$/.test(token)) return { digits: token };
      throw new Error(`Unknown script step "${token}" (use digits, say:<words>, silence, hangup, pay[:result|:card number], dial:<status>).`);
    });
