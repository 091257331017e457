import { randomBytes } from 'node:crypto';

/**
 * Twilio resource identifiers: a two-letter prefix and 32 lowercase hex digits
 * (`CA…` calls, `SM…` messages, `AC…` accounts, `QU…` queues, `PN…` numbers, `CF…` conferences).
 */
export type SidPrefix = 'CA' | 'SM' | 'AC' | 'QU' | 'PN' | 'PK' | 'MG' | 'CF';

/** A fresh random SID such as `CAa1b2…` (34 characters). */
export const newSid = (prefix: SidPrefix): string => prefix + randomBytes(16).toString('hex');

/** True when `value` looks like a SID with the given prefix. */
export const isSid = (prefix: SidPrefix, value: string): boolean =>
  new RegExp(`^${prefix}[0-9a-f]{32}$`).test(value);

/** A token like the one Twilio sends in `I-Twilio-Idempotency-Token` (unique per request, kept on retries). */
export const newIdempotencyToken = (): string => randomBytes(16).toString('hex');
