import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { CallEvent } from './call-events.js';
import type { DialOutcome, GatherInput, InputProvider, PayOutcome, PayResult } from './input-provider.js';

/** Streams of {@link createTerminalInput} (default: the process's own), and real milliseconds per second of `<Pause>` (default 0). */
export type TerminalIo = { input: Readable; output: Writable; pauseMsPerSecond?: number };

/** Describes a call event in one line, as the softphone prints it. */
export const describeEvent = (event: CallEvent): string | undefined => {
  switch (event.type) {
    case 'say':
      return `IVR: ${event.text}`;
    case 'play':
      return `(audio ${event.url})`;
    case 'pause':
      return `(silence ${event.length}s)`;
    case 'redirect':
      return `(redirected to ${event.url})`;
    case 'dial':
      return `(dialled ${event.targets.map((t) => `${t.kind} ${t.value}`).join(', ')})`;
    case 'enqueue':
      return `(waiting in queue ${event.queue})`;
    case 'conference':
      return event.event === 'joined'
        ? `(in conference ${event.name})`
        : event.event === 'started'
          ? `(conference ${event.name} started: you are connected)`
          : `(left conference ${event.name}${event.reason === 'conference-ended' ? ': the conference ended' : ''})`;
    case 'updated':
      return event.by === 'hangup' ? '(the carrier hung up the call)' : `(call moved by the carrier${event.url ? ` to ${event.url}` : ''})`;
    case 'unsupported':
      return `(simulator skipped <${event.verb}>)`;
    case 'error':
      return `ERROR: ${event.message}${event.spoken ? `\nIVR: ${event.spoken}` : ''}`;
    case 'end':
      return `-- call ended (${event.reason}${event.rejectReason ? `: ${event.rejectReason}` : ''})`;
    default:
      return undefined;
  }
};

/** Prints an event's line, if it has one. */
export const printEvent = (print: (line: string) => void, event: CallEvent): void => {
  const line = describeEvent(event);
  if (line !== undefined) print(line);
};

const PAY_RESULTS: PayResult[] = ['success', 'too-many-failed-attempts', 'payment-connector-error', 'caller-interrupted-with-star', 'caller-hung-up', 'validation-error', 'internal-error'];
const DIAL_STATUSES = ['completed', 'busy', 'no-answer', 'failed', 'canceled'] as const;
const TEST_CARD_HINT = '4242424242424242 pays, 4000000000000002 declined, 4000000000009995 insufficient funds, 4000000000009987 lost card, 4000000000000069 expired';

/** An interactive caller on a terminal; call `close()` when the call is over. */
export type TerminalInput = InputProvider & { close: () => void };

/**
 * A caller typing on a terminal: prints what the IVR says, and prompts for
 * keys (`123#`), speech (`say: words`), silence (empty line) or hang-up (`h`),
 * and for the outcome of `<Pay>` and `<Dial>`. End of input hangs up.
 */
export const createTerminalInput = (io: TerminalIo = { input: process.stdin, output: process.stdout }): TerminalInput => {
  const rl = createInterface({ input: io.input, terminal: false });
  // Lines are queued as they arrive so typed-ahead or piped answers are never lost
  // between prompts (readline drops lines that arrive while no question is pending).
  const lines: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  let closed = false;
  rl.on('line', (line) => {
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve(line);
    } else lines.push(line);
  });
  rl.once('close', () => {
    closed = true;
    waiting?.(undefined);
    waiting = undefined;
  });
  const print = (line: string) => io.output.write(line + '\n');
  const ask = async (prompt: string): Promise<string | undefined> => {
    io.output.write(prompt);
    const queued = lines.shift();
    if (queued !== undefined) return queued.trim();
    if (closed) return undefined;
    const line = await new Promise<string | undefined>((resolve) => (waiting = resolve));
    return line?.trim();
  };

  const gather = async (): Promise<GatherInput> => {
    const line = await ask("Keys (e.g. 1 or 1234#), 'say: words', empty for silence, 'h' to hang up > ");
    if (line === undefined || line === 'h' || line === 'hangup') return 'hangup';
    if (line === '') return { silence: true };
    if (/^say:/i.test(line)) return { speech: line.slice(4).trim(), confidence: 0.9 };
    if (/^[0-9*#]+$/.test(line)) return { digits: line };
    return { speech: line, confidence: 0.9 };
  };

  const pay = async (): Promise<PayOutcome | 'hangup'> => {
    print(`Card payment. Key a card number: Stripe's test cards, e.g. ${TEST_CARD_HINT}. Or an outcome: ${PAY_RESULTS.map((r, i) => `${i + 1}=${r}`).join(', ')}`);
    const line = await ask("Card number or outcome number (empty = 4242 4242 4242 4242), 'h' to hang up > ");
    if (line === undefined || line === 'h') return 'hangup';
    if (/^[\d ]{12,23}$/.test(line)) return { cardNumber: line.replace(/ /g, '') };
    const chosen = PAY_RESULTS[Number(line) - 1];
    return chosen ? { result: chosen, ...(chosen !== 'success' ? { paymentError: 'simulated failure' } : {}) } : {};
  };

  const dial = async (): Promise<DialOutcome | 'hangup'> => {
    const line = await ask(`Far end: ${DIAL_STATUSES.map((s, i) => `${i + 1}=${s}`).join(', ')} (empty = completed), 'h' to hang up > `);
    if (line === undefined || line === 'h') return 'hangup';
    const status = DIAL_STATUSES[Number(line) - 1];
    return status ? { status } : {};
  };

  return {
    hear: async (event) => {
      printEvent(print, event);
      if (event.type === 'pause' && io.pauseMsPerSecond) await new Promise((r) => setTimeout(r, event.length * io.pauseMsPerSecond!));
    },
    gather,
    pay,
    dial,
    close: () => rl.close(),
  };
};
