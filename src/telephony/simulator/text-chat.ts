import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { readCarrierInbox } from './carrier-client.js';
import { createInboxPrinter, followInbox } from './inbox-printer.js';
import { sendText, type TextSession } from './text-exchange.js';

/** Streams of a chat (injected by tests) and a text to send before reading any line. */
export type ChatIo = { input: Readable; output: Writable; first?: string };

const isTty = (s: Readable | Writable) => (s as { isTTY?: boolean }).isTTY === true;

const helpLine = (s: TextSession) =>
  s.carrier
    ? `Texting ${s.to} from ${s.from} through the simulated carrier. Type a text and press Enter; texts the gateway sends you appear as they arrive, with their delivery status. /quit or Ctrl-D ends.`
    : `Texting ${s.to} from ${s.from} directly. Type a text and press Enter; only the gateway's immediate replies can be shown. /quit or Ctrl-D ends.`;

/**
 * An interactive conversation (`npm run text -- --from +1…`): every line typed is sent as a text
 * and the gateway's TwiML replies print at once; through the carrier, texts the gateway sends to
 * `from` later (a receipt a job queued, a notice) print as they arrive, each delivery status
 * played back. Ends on `/quit`, end of input (Ctrl-D), or a gateway that cannot be reached.
 * Resolves to the exit code: 0, or 2 when the gateway or the carrier could not be reached.
 */
export const runTextChat = async (session: TextSession, io: ChatIo): Promise<number> => {
  let cursor = 0;
  if (session.carrier) {
    try {
      cursor = (await readCarrierInbox(session.carrier, { number: session.from })).next;
    } catch (err) {
      session.warn(`${err instanceof Error ? err.message : String(err)} Is the worker running?`);
      return 2;
    }
  }
  // why: from here on nothing awaits before the line and close listeners are on: readline drops lines nobody listens to.
  const terminal = isTty(io.input) && isTty(io.output);
  const rl = createInterface({ input: io.input, ...(terminal ? { output: io.output } : {}), terminal, prompt: '> ' });
  let closed = false;
  let quit = false;
  // why: on a terminal a line printed while the person types would tear their input; clear, print, redraw the prompt.
  const say = (line: string) => {
    if (terminal) {
      clearLine(io.output, 0);
      cursorTo(io.output, 0);
    }
    io.output.write(line + '\n');
    if (terminal && !closed) rl.prompt(true);
  };
  const s: TextSession = { ...session, print: say };
  say(helpLine(s));

  let code = 0;
  const stop = new AbortController();
  const following = s.carrier
    ? followInbox(s.carrier, { number: s.from, cursor, print: createInboxPrinter(say, s.to), signal: stop.signal }).catch((err: unknown) => {
        if (!stop.signal.aborted) s.warn(`No longer showing the gateway's texts: ${err instanceof Error ? err.message : String(err)}`);
      })
    : Promise.resolve();

  const handle = async (line: string): Promise<void> => {
    if (quit) return;
    const text = line.trim();
    if (text === '/quit' || text === '/exit') {
      quit = true;
      return void rl.close();
    }
    if (text === '/help') return say(helpLine(s));
    if (text === '') return void (terminal && rl.prompt());
    const outcome = await sendText(s, line);
    if (outcome.code === 2) {
      code = 2;
      quit = true;
      rl.close();
    } else if (terminal) rl.prompt();
  };
  // why: lines are sent one after the other, in the order typed (or piped), each after the last one's answer;
  // at end of input the lines already read are still sent, after /quit none is.
  let queue: Promise<void> = io.first !== undefined ? handle(io.first) : Promise.resolve();
  await new Promise<void>((resolve) => {
    rl.on('line', (line) => (queue = queue.then(() => handle(line))));
    rl.once('close', () => {
      closed = true;
      void queue.then(resolve, resolve);
    });
    if (terminal) rl.prompt();
  });
  stop.abort();
  await following;
  return code;
};
