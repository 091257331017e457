import { parseArgs } from 'node:util';
import { CarrierUnreachableError, registerPhone, hangUpPhone, type CarrierEndpoint } from './carrier-client.js';
import { carrierFilePath, findLiveCarrier } from './carrier-file.js';
import { drivePhone } from './phone-driver.js';
import { createScriptedInput, parseScript } from './scripted-input.js';
import type { SoftphoneOptions } from './softphone-cli.js';
import { createTerminalInput, printEvent } from './terminal-input.js';

const USAGE = `Usage: npm run call -- --as-specialist --number <+E164> [--script <steps>]

  --number  the specialist's phone number (see: npm run specialists -- list)
  --script  keys instead of typing them, e.g. 1 (accept) or 2 (decline)
  Waits for the gateway to ring that number through the simulated carrier,
  answers, plays the call; Ctrl-C hangs up.`;

const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * `npm run call -- --as-specialist --number +1…`: the phone of a specialist, registered with the running
 * worker's simulated carrier (found in DATA_DIR). Waits for one call the carrier places to that number,
 * prints "Ringing: call from …", answers, prints the whisper and asks for the key (or follows
 * `--script`), then prints the conference until it ends. Exit codes: 0 after a call (or Ctrl-C),
 * 2 without a live carrier, 64 on bad arguments.
 */
export const runSpecialistPhone = async (argv: string[], options: SoftphoneOptions & { dataDir?: string; signal?: AbortSignal }): Promise<number> => {
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  let number: string;
  let script: ReturnType<typeof parseScript> | undefined;
  try {
    const { values } = parseArgs({ args: argv, strict: true, options: { 'as-specialist': { type: 'boolean' }, number: { type: 'string' }, script: { type: 'string' } } });
    if (typeof values.number !== 'string' || !E164.test(values.number)) throw new Error('--number must be a number in E.164 form (e.g. +15550100101).');
    number = values.number;
    script = values.script !== undefined ? parseScript(values.script) : undefined;
  } catch (e) {
    err.write(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}\n`);
    return 64;
  }
  const found = options.dataDir !== undefined ? await findLiveCarrier(options.dataDir) : null;
  if (!found) {
    const where = options.dataDir !== undefined ? `no live simulated carrier recorded in ${carrierFilePath(options.dataDir)}` : 'no DATA_DIR to find the simulated carrier in';
    err.write(`Cannot ring a specialist's softphone: ${where}. Start the gateway without Twilio credentials ("npm start") first.\n`);
    return 2;
  }
  const carrier: CarrierEndpoint = { url: found.url, accountSid: options.accountSid, authToken: options.authToken, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const print = (line: string) => out.write(line + '\n');
  const terminal = script === undefined ? createTerminalInput({ input: options.stdin ?? process.stdin, output: out }) : undefined;
  const local = terminal ?? createScriptedInput(script ?? [], { whenExhausted: 'silence', onEvent: (e) => printEvent(print, e) });
  const hangUp = new AbortController();
  const stop = () => hangUp.abort();
  options.signal?.addEventListener('abort', stop);
  process.once('SIGINT', stop);
  try {
    const phone = await registerPhone(carrier, number);
    print(`Specialist phone ${number} registered with the simulated carrier at ${carrier.url}; waiting for a call (Ctrl-C hangs up) ...`);
    hangUp.signal.addEventListener('abort', () => {
      terminal?.close();
      void hangUpPhone(carrier, phone.phoneId).catch(() => undefined);
    });
    const end = await drivePhone(carrier, phone.phoneId, { local, print, signal: hangUp.signal });
    print(end ? `Call ${end.callSid} ended: ${end.status} (${end.reason}).` : 'Hung up.');
    if (end) await hangUpPhone(carrier, phone.phoneId).catch(() => undefined);
    return 0;
  } catch (e) {
    if (e instanceof CarrierUnreachableError) {
      err.write(`${e.message}\n`);
      return 2;
    }
    err.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', stop);
    options.signal?.removeEventListener('abort', stop);
    terminal?.close();
  }
};
