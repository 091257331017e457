import type { DeclineClass } from './classify-decline.js';

/** One earlier charge on the same card (same payment method), whatever due it was for. */
export type CardAttempt = {
  at: Date;
  status: 'pending' | 'succeeded' | 'failed' | 'requires_action';
  declineClass: DeclineClass | null;
};

export type RetryDecision = { allowed: true } | { allowed: false; reason: string; retryAfter: Date | null };

type Window = { ms: number; max: number; label: string };

const DAY = 24 * 60 * 60 * 1000;

/**
 * Declines allowed per card in rolling windows (retention.md 1.2).
 * Visa: 20 reattempts per 30 days since May 2025 (15 before); we keep 15 to
 * stay clear of the fee whichever counter the acquirer applies.
 * Mastercard: 10 per 24 h and 35 per 30 days.
 * Other networks publish no figure we trust: the stricter of both.
 */
export const NETWORK_LIMITS: Record<string, readonly Window[]> = {
  visa: [{ ms: 30 * DAY, max: 15, label: '15 declines in 30 days (Visa)' }],
  mastercard: [
    { ms: DAY, max: 10, label: '10 declines in 24 hours (Mastercard)' },
    { ms: 30 * DAY, max: 35, label: '35 declines in 30 days (Mastercard)' },
  ],
  other: [
    { ms: DAY, max: 10, label: '10 declines in 24 hours' },
    { ms: 30 * DAY, max: 15, label: '15 declines in 30 days' },
  ],
};

/**
 * May we charge this card again now? Never after a never-retry decline (Visa
 * category 1, Mastercard MAC 03/21: fees and no chance), never after a
 * new-details decline (the same details will fail the same way), otherwise
 * while the declines since the last success stay under the network's caps.
 * Pure: `now` comes from the caller's clock.
 */
export const canRetryCard = (network: string | null, attempts: readonly CardAttempt[], now: Date): RetryDecision => {
  const sorted = [...attempts].sort((a, b) => a.at.getTime() - b.at.getTime());
  const lastSuccess = sorted.filter((a) => a.status === 'succeeded').at(-1);
  const since = sorted.filter((a) => !lastSuccess || a.at > lastSuccess.at);
  const declines = since.filter((a) => a.status === 'failed');
  const hard = declines.find((a) => a.declineClass === 'never-retry');
  if (hard) {
    return { allowed: false, reason: 'The bank will never approve this card again; a different card is needed.', retryAfter: null };
  }
  const fix = declines.find((a) => a.declineClass === 'new-details');
  if (fix) {
    return { allowed: false, reason: 'The card details must be updated before another charge.', retryAfter: null };
  }
  const windows = NETWORK_LIMITS[(network ?? '').toLowerCase()] ?? NETWORK_LIMITS.other!;
  for (const w of windows) {
    const start = now.getTime() - w.ms;
    const inWindow = declines.filter((a) => a.at.getTime() > start);
    if (inWindow.length >= w.max) {
      // The window frees a slot when its oldest decline leaves it.
      const oldest = inWindow[inWindow.length - w.max]!;
      return { allowed: false, reason: `Card network limit reached: ${w.label}.`, retryAfter: new Date(oldest.at.getTime() + w.ms) };
    }
  }
  return { allowed: true };
};
