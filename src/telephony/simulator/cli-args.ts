import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { WebhookTarget } from './webhook-target.js';

const E164 = /^\+[1-9]\d{6,14}$/;

/** A usage error, printed with the usage text and exit code 64. */
export class UsageError extends Error {}

/** Parsed flags of a simulator CLI: `--from` checked, the rest as given. */
export type CliArgs = { values: Record<string, string | boolean | undefined>; positionals: string[]; from: string; to: string | undefined };

/**
 * Parses `--from`, `--to` and `-h` plus a command's own `options`; throws UsageError (with
 * `usage` appended) on an unknown flag, `--help`, or a number not in E.164 form.
 */
export const parseCliArgs = (argv: string[], usage: string, options: NonNullable<ParseArgsConfig['options']>, allowPositionals: boolean): CliArgs => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals,
      strict: true,
      options: { from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' }, ...options },
    });
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message : String(e)}\n\n${usage}`);
  }
  const values = parsed.values as CliArgs['values'];
  if (values.help) throw new UsageError(usage);
  const from = values.from;
  if (typeof from !== 'string' || !E164.test(from)) throw new UsageError(`--from must be a number in E.164 form (e.g. +15551234567).\n\n${usage}`);
  const to = values.to;
  if (to !== undefined && (typeof to !== 'string' || !E164.test(to))) throw new UsageError(`--to must be a number in E.164 form.\n\n${usage}`);
  return { values, positionals: parsed.positionals, from, to };
};

/** The one message for a gateway that does not answer (exit code 2). */
export const unreachable = (target: Pick<WebhookTarget, 'gatewayUrl'>, error: string): string =>
  `Cannot reach the gateway at ${target.gatewayUrl} (${error}). Is it running? Start it with "npm run web" or "npm start".`;
