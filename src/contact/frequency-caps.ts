import type { Channel } from './quiet-hours.js';

/**
 * What a contact is for. `transactional`: receipts, HELP/STOP replies,
 * confirmations the customer asked for (exempt from caps, still subject to
 * consent); `informational`: due reminders, failed-payment notices;
 * `marketing`: retention offers.
 */
export type ContactKind = 'transactional' | 'informational' | 'marketing';

/** Most sends per policyholder and channel in a rolling 24 hours and a rolling 7 days. */
export type ChannelCaps = { daily: number; weekly: number };
export type FrequencyCaps = Record<Channel, ChannelCaps>;

export type CapName = 'daily-cap' | 'weekly-cap';

/** `ok`, or the cap reached and when the send that frees a slot leaves its window. */
export type CapCheck = { ok: true } | { ok: false; cap: CapName; until: Date };

const HOUR = 60 * 60 * 1000;
const WINDOWS: readonly { cap: CapName; ms: number; max: (c: ChannelCaps) => number }[] = [
  { cap: 'daily-cap', ms: 24 * HOUR, max: (c) => c.daily },
  { cap: 'weekly-cap', ms: 7 * 24 * HOUR, max: (c) => c.weekly },
];

/**
 * May one more `kind` contact go out on `channel` now? `recentSendTimes`: the
 * counted sends to this policyholder on this channel (informational and
 * marketing ones: transactional sends neither count nor are capped). A send
 * counts while it is less than a window old (one exactly 24 h old has left).
 * When a cap is reached, the answer is when enough sends have left for one more;
 * with both caps reached, the later time and its cap. Pure.
 */
export const checkCaps = (
  channel: Channel,
  kind: ContactKind,
  recentSendTimes: readonly Date[],
  now: Date,
  caps: FrequencyCaps,
): CapCheck => {
  if (kind === 'transactional') return { ok: true };
  const sorted = recentSendTimes.map((d) => d.getTime()).sort((a, b) => a - b);
  let blocked: { cap: CapName; until: number } | null = null;
  for (const w of WINDOWS) {
    // why: a cap under 1 would never free a slot; the configuration refuses one, and here it reads as 1.
    const max = Math.max(1, w.max(caps[channel]));
    const inWindow = sorted.filter((t) => t > now.getTime() - w.ms);
    if (inWindow.length < max) continue;
    // why: one more send fits once all but max - 1 of these have left, i.e. when this one leaves.
    const until = inWindow[inWindow.length - max]! + w.ms;
    if (!blocked || until > blocked.until) blocked = { cap: w.cap, until };
  }
  if (!blocked) return { ok: true };
  return { ok: false, cap: blocked.cap, until: new Date(blocked.until) };
};
