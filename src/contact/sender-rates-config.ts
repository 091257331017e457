import { z } from 'zod';
import { configError, strictObject as object } from './config-issues.js';
import type { SenderClass } from './sender-rate-limiter.js';

/** Segments per second a sending number may send: by class of number, and overrides for single numbers. */
export type SenderRates = {
  segmentsPerSecond: Record<SenderClass, number>;
  /** Keyed by the sender exactly as it is sent from (`+18005550100`, `898211`); wins over its class. */
  perSender: Record<string, number>;
};

/** US carrier limits: long code 1 segment/s, toll-free 3/s, short code 100/s; no overrides. */
export const DEFAULT_SENDER_RATES: SenderRates = {
  segmentsPerSecond: { 'long-code': 1, 'toll-free': 3, 'short-code': 100 },
  perSender: {},
};

export const MAX_SEGMENTS_PER_SECOND = 10_000;

const rate = z
  .number({ error: 'is not a number' })
  .gt(0, { error: 'is not above 0' })
  .max(MAX_SEGMENTS_PER_SECOND, { error: `is more than ${MAX_SEGMENTS_PER_SECOND}` });

// why: a key the limiter can never be asked about (`15551230000` without its `+`) would be a
// silently ignored override; only E.164 numbers and short codes are accepted.
const SENDER = /^\+\d{8,15}$|^\d{3,8}$/;
const sender = z.string().regex(SENDER, { error: 'is not a sender (an E.164 number like +18005550100, or a 3 to 8 digit short code)' });

const schema = object({
  segmentsPerSecond: object({ 'long-code': rate.optional(), 'toll-free': rate.optional(), 'short-code': rate.optional() }).optional(),
  perSender: z.record(sender, rate, { error: 'is not an object' }).optional(),
});

/**
 * The sender rates from their JSON configuration; anything left out takes its
 * default. Rates are positive (fractions allowed, e.g. 0.5) and at most 10,000.
 * Throws an Error naming each bad field, its value and what is wrong:
 * `sender rates: segmentsPerSecond.toll-free: 0 is not above 0`.
 */
export const parseSenderRates = (json: unknown): SenderRates => {
  const parsed = schema.safeParse(json, { reportInput: true });
  if (!parsed.success) throw configError('sender rates', parsed.error);
  const given = parsed.data;
  const defaults = DEFAULT_SENDER_RATES.segmentsPerSecond;
  return {
    segmentsPerSecond: {
      'long-code': given.segmentsPerSecond?.['long-code'] ?? defaults['long-code'],
      'toll-free': given.segmentsPerSecond?.['toll-free'] ?? defaults['toll-free'],
      'short-code': given.segmentsPerSecond?.['short-code'] ?? defaults['short-code'],
    },
    perSender: { ...given.perSender },
  };
};
