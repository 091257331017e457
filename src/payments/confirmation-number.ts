import { createHash } from 'node:crypto';

/**
 * An 8-digit confirmation number for a payment attempt: derived from its id,
 * so every channel (call, text, receipt, specialist screen) reads the same one.
 */
export const confirmationNumber = (attemptId: string): string =>
  (BigInt(`0x${createHash('sha256').update(attemptId).digest('hex').slice(0, 12)}`) % 100_000_000n).toString().padStart(8, '0');
