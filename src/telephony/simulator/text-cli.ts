import { CarrierUnreachableError } from './carrier-client.js';
import { carrierFilePath, findLiveCarrier } from './carrier-file.js';
import { parseCliArgs, UsageError } from './cli-args.js';
import { createInboxPrinter, followInbox } from './inbox-printer.js';
import type { SoftphoneOptions } from './softphone-cli.js';
import { runTextChat } from './text-chat.js';
import { sendText, type TextSession } from './text-exchange.js';

/** Options of {@link runTextCli}: the softphone's, and DATA_DIR to find a running simulated carrier in. */
export type TextCliOptions = SoftphoneOptions & {
  /** DATA_DIR of the gateway; unset: no carrier is looked for and texts go straight to the gateway. */
  dataDir?: string;
};

const TEXT_USAGE = `Usage: npm run text -- --from <+E164> [--to <+E164>] [--wait <seconds>] "message"
       npm run text -- --from <+E164> [--to <+E164>] [--chat]

  --from   your number, e.g. +12025550143 (required)
  --to     our number you text (default: the gateway's number)
  --wait   after the replies, keep showing the texts the gateway sends
           to --from for this many seconds (e.g. a receipt)
  --chat   a conversation: each line typed is a text, the gateway's
           texts show as they arrive; /quit or Ctrl-D ends it (the
           default when no message is given)`;

const MAX_WAIT_SECONDS = 3600;

const parse = (argv: string[]) => {
  const args = parseCliArgs(argv, TEXT_USAGE, { chat: { type: 'boolean' }, wait: { type: 'string' } }, true);
  const message = args.positionals.join(' ');
  const chat = args.values.chat === true || args.positionals.length === 0;
  if (!chat && message.trim() === '') throw new UsageError(`The message text is missing.\n\n${TEXT_USAGE}`);
  const waitText = args.values.wait;
  if (waitText === undefined) return { ...args, message, chat, waitSeconds: 0 };
  const waitSeconds = Number(waitText);
  if (typeof waitText !== 'string' || waitText.trim() === '' || !(waitSeconds >= 0 && waitSeconds <= MAX_WAIT_SECONDS)) {
    throw new UsageError(`--wait must be a number of seconds from 0 to ${MAX_WAIT_SECONDS}.\n\n${TEXT_USAGE}`);
  }
  if (chat) throw new UsageError(`--wait is for one message; a chat shows the gateway's texts as they come.\n\n${TEXT_USAGE}`);
  return { ...args, message, chat, waitSeconds };
};

/**
 * The terminal texter. `npm run text -- --from +1… "message"` sends one text and prints the
 * gateway's replies (with `--wait N`, then the texts it sends that number for N seconds);
 * without a message (or with `--chat`) it holds a conversation (see runTextChat). Texts go
 * through the worker's simulated carrier when DATA_DIR names a live one (so it knows of STOP,
 * as Twilio would), else straight to the gateway, said in one line on stderr.
 * Resolves to the exit code: 0, 1 on an unusable answer, 2 when the gateway (or the carrier)
 * cannot be reached, 64 on bad arguments.
 */
export const runTextCli = async (argv: string[], options: TextCliOptions): Promise<number> => {
  const out = options.stdout ?? process.stdout;
  const err = options.stderr ?? process.stderr;
  let args;
  try {
    args = parse(argv);
  } catch (e) {
    err.write(`${e instanceof Error ? e.message : String(e)}\n`);
    return 64;
  }
  const found = options.dataDir !== undefined ? await findLiveCarrier(options.dataDir) : null;
  const carrier = found ? { url: found.url, accountSid: options.accountSid, authToken: options.authToken, ...(options.fetch ? { fetch: options.fetch } : {}) } : null;
  if (!carrier) {
    const where = options.dataDir !== undefined ? `no live simulated carrier recorded in ${carrierFilePath(options.dataDir)}` : 'no simulated carrier';
    const later = args.chat || args.waitSeconds > 0 ? '; texts the gateway sends later cannot be shown' : '';
    err.write(`(${where}: texting the gateway directly at ${options.gatewayUrl}, as with real Twilio or a web-only process${later})\n`);
  }
  const session: TextSession = {
    target: options,
    carrier,
    from: args.from,
    to: args.to ?? options.defaultTo ?? '+15550000000',
    print: (line) => out.write(line + '\n'),
    warn: (line) => err.write(line + '\n'),
  };
  if (args.chat) {
    return runTextChat(session, { input: options.stdin ?? process.stdin, output: out, ...(args.message.trim() ? { first: args.message } : {}) });
  }
  const sent = await sendText(session, args.message);
  if (sent.code !== 0 || !carrier || sent.cursor === undefined || args.waitSeconds === 0) return sent.code;
  try {
    await followInbox(carrier, { number: args.from, cursor: sent.cursor, print: createInboxPrinter(session.print, session.to), until: Date.now() + args.waitSeconds * 1000 });
    return 0;
  } catch (e) {
    session.warn(`Stopped showing the gateway's texts: ${e instanceof Error ? e.message : String(e)}`);
    return e instanceof CarrierUnreachableError ? 2 : 1;
  }
};
