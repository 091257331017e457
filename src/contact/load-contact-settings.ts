import { readFileSync } from 'node:fs';
import { DEFAULT_CONTACT_POLICY, parseContactPolicy, type ContactPolicy } from './contact-policy-config.js';
import { DEFAULT_SENDER_RATES, parseSenderRates, type SenderRates } from './sender-rates-config.js';

/** Everything CONTACT_POLICY_FILE sets: when and how often we may contact someone, and how fast each sender sends. */
export type ContactSettings = { policy: ContactPolicy; senderRates: SenderRates };

export const DEFAULT_CONTACT_SETTINGS: ContactSettings = { policy: DEFAULT_CONTACT_POLICY, senderRates: DEFAULT_SENDER_RATES };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The settings of CONTACT_POLICY_FILE (docs/contact-policy.md): the contact policy's fields and
 * `senderRates`, anything left out at its default; the defaults without a file. Throws an Error
 * naming the file and what is wrong (unreadable, not JSON, each bad field), so a process stops at
 * start rather than text someone at the wrong hour.
 */
export const loadContactSettings = (file: string | undefined): ContactSettings => {
  if (file === undefined) return DEFAULT_CONTACT_SETTINGS;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`CONTACT_POLICY_FILE ${file}: ${err instanceof SyntaxError ? `is not JSON (${err.message})` : `cannot be read (${(err as Error).message})`}`, { cause: err });
  }
  if (!isObject(json)) throw new Error(`CONTACT_POLICY_FILE ${file}: is not a JSON object`);
  // why: senderRates has its own parser; the rest is the contact policy's, which refuses unknown fields.
  const { senderRates, ...policy } = json;
  const problems: string[] = [];
  const attempt = <T>(parse: () => T, fallback: T): T => {
    try {
      return parse();
    } catch (err) {
      problems.push((err as Error).message);
      return fallback;
    }
  };
  const settings = {
    policy: attempt(() => parseContactPolicy(policy), DEFAULT_CONTACT_POLICY),
    senderRates: attempt(() => (senderRates === undefined ? DEFAULT_SENDER_RATES : parseSenderRates(senderRates)), DEFAULT_SENDER_RATES),
  };
  if (problems.length) throw new Error(`CONTACT_POLICY_FILE ${file}: ${problems.join('; ')}`);
  return settings;
};
