import type { Writable, Readable } from 'node:stream';
import { placeCall } from './call-player.js';
import { parseCliArgs, unreachable } from './cli-args.js';
import { createScriptedInput, parseScript } from './scripted-input.js';
import { createTerminalInput, describeEvent } from './terminal-input.js';
import type { WebhookTarget } from './webhook-target.js';
import type { CarrierEndpoint } from './carrier-client.js';
import { findLiveCarrier } from './carrier-file.js';
import type { InputProvider } from './input-provider.js';

/**
 * Options of {@link runSoftphone} and `runTextCli` (text-cli.ts): where the gateway
 * listens, the public URL it validates signatures against, and the account
 * credentials the simulated carrier signs with.
 */
export type SoftphoneOptions = WebhookTarget & {
  /** Number called or texted when `--to` is not given (default `+15550000000`). */
  defaultTo?: string;
  stdin?: Readable;
  stdout?: Writable;
  stderr?: Writable;
  /**
   * Real milliseconds per second of `<Pause>` (default 1000: Twilio's pace). A flow holding the
   * caller while a job works (a card charge) polls between pauses; without them it gives up at once.
   */
  pauseMsPerSecond?: number;
  /**
   * DATA_DIR of the gateway: when it names a live simulated carrier, calls go through it (they can
   * hold in a conference a specialist's softphone joins) and `--as-specialist` registers there.
   * Unset or no live carrier: calls go straight to the gateway.
   */
  dataDir?: string;
  /** Aborting hangs up, as Ctrl-C does (for tests). */
  signal?: AbortSignal;
};

const CALL_USAGE = `Usage: npm run call -- --from <+E164> [--to <+E164>] [--script <steps>]
       npm run call -- --as-specialist --number <+E164> [--script <keys>]

  --from    caller's number, e.g. +15551234567 (required)
  --to      number called (default: the gateway's number)
  --script  comma-separated caller steps instead of typing them:
            digits (1, 1234#), say:<words>, silence (or -), hangup,
            pay, pay:<result>, pay:<card number>, dial:<status>
            (at <Pay>, Stripe's test cards: 4242424242424242 pays,
            4000000000000002 declined, 4000000000009995 insufficient
            funds, 4000000000009987 lost card, 4000000000000069 expired)
  --max-requests  loop guard (default 200)
  --as-specialist be a specialist's phone instead: wait for the gateway to
            ring --number through the simulated carrier (a warm transfer)`;

/**
 * The terminal softphone (`npm run call`): places a call to the gateway,
 * prints what the caller hears and asks for keys or speech (or follows
 * `--script`). Resolves to the process exit code: 0 on a call that ran,
 * 1 on an application error, 2 when the gateway is unreachable, 64 on bad arguments.
 */
export const runSoftphone = async (argv: string[], options: SoftphoneOptions): Promise<number> => {
  if (argv.includes('--as-specialist')) return (await import('./specialist-phone-cli.js')).runSpecialistPhone(argv, options);
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  let args;
  let steps;
  try {
    args = parseCliArgs(argv, CALL_USAGE, { script: { type: 'string' }, 'max-requests': { type: 'string' } }, false);
    steps = typeof args.values.script === 'string' ? parseScript(args.values.script) : undefined;
  } catch (e) {
    err.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 64;
  }
  const to = args.to ?? options.defaultTo ?? '+15550000000';
  const maxRequests = Number(args.values['max-requests'] ?? 200);
  const pauseMsPerSecond = options.pauseMsPerSecond ?? 1000;
  const terminal = steps === undefined ? createTerminalInput({ input: options.stdin ?? process.stdin, output: out, pauseMsPerSecond }) : undefined;
  const input =
    terminal ??
    createScriptedInput(steps ?? [], {
      pauseMsPerSecond,
      onEvent: (e) => {
        const line = describeEvent(e);
        if (line !== undefined) out.write(line + '\n');
      },
    });
  const found = options.dataDir !== undefined ? await findLiveCarrier(options.dataDir) : null;
  if (found) {
    try {
      return await viaCarrier({ url: found.url, accountSid: options.accountSid, authToken: options.authToken, ...(options.fetch ? { fetch: options.fetch } : {}) }, {
        from: args.from, to, local: input, maxRequests: Number.isFinite(maxRequests) ? maxRequests : 200, pauseMsPerSecond, out, err, signal: options.signal,
      });
    } finally {
      terminal?.close();
    }
  }
  out.write(`Calling ${to} from ${args.from} via ${options.gatewayUrl} ...\n`);
  try {
    const result = await placeCall(options, { from: args.from, to, input, maxRequests: Number.isFinite(maxRequests) ? maxRequests : 200 });
    const first = result.transcript[0];
    if (first?.error !== undefined) {
      err.write(unreachable(options, first.error) + '\n');
      return 2;
    }
    out.write(`Call ${result.callSid}: ${result.finalStatus}, ${result.durationSeconds}s simulated, ${result.transcript.length} webhook requests.\n`);
    return result.endReason === 'application-error' || result.endReason === 'loop-guard' ? 1 : 0;
  } finally {
    terminal?.close();
  }
};

/** The call through the live simulated carrier (carrier-call.ts); Ctrl-C hangs up. Exit codes as runSoftphone's. */
const viaCarrier = async (
  carrier: CarrierEndpoint,
  o: { from: string; to: string; local: InputProvider; maxRequests: number; pauseMsPerSecond: number; out: Writable; err: Writable; signal: AbortSignal | undefined },
): Promise<number> => {
  const { callThroughCarrier } = await import('./carrier-call.js');
  const { CarrierUnreachableError } = await import('./carrier-client.js');
  const hangUp = new AbortController();
  const stop = () => hangUp.abort();
  process.once('SIGINT', stop);
  o.signal?.addEventListener('abort', stop);
  o.out.write(`Calling ${o.to} from ${o.from} through the simulated carrier at ${carrier.url} (Ctrl-C hangs up) ...\n`);
  try {
    const end = await callThroughCarrier(carrier, { ...o, print: (line) => o.out.write(line + '\n'), signal: hangUp.signal });
    if (!end) {
      o.out.write('Hung up.\n');
      return 0;
    }
    o.out.write(`Call ${end.callSid}: ${end.status} (${end.reason}).\n`);
    return end.reason === 'application-error' || end.reason === 'loop-guard' ? 1 : 0;
  } catch (e) {
    o.err.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return e instanceof CarrierUnreachableError ? 2 : 1;
  } finally {
    process.off('SIGINT', stop);
    o.signal?.removeEventListener('abort', stop);
  }
};
