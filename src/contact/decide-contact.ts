import { checkCaps, type CapName, type ContactKind, type FrequencyCaps } from './frequency-caps.js';
import { nextAllowedAt, type Channel, type QuietHoursRules } from './quiet-hours.js';
import type { UsStateCode } from './us-states.js';

export type ChannelConsent = 'granted' | 'opted-out' | 'none';

/** One earlier contact with this policyholder (any channel, any kind): the caps pick what counts. */
export type RecentSend = { channel: Channel; kind: ContactKind; at: Date };

/** Everything the decision needs, read by the caller beforehand: the decision does no I/O. */
export type ContactRequest = {
  channel: Channel;
  kind: ContactKind;
  /** An immediate answer to a message or call the customer just sent or made. */
  replyToInbound: boolean;
  /**
   * HELP and STOP confirmations: owed even to an opted-out number. Honoured
   * only for a transactional reply to an inbound message, ignored otherwise.
   */
  alwaysAllowed?: boolean;
  consent: Record<Channel, ChannelConsent>;
  preferredChannel?: Channel;
  /** From `placeRecipient`: where the recipient may be, and whose state rules apply. */
  zones: readonly string[];
  states: readonly UsStateCode[];
  now: Date;
  recentSends: readonly RecentSend[];
  rules: QuietHoursRules;
  caps: FrequencyCaps;
};

export type SuppressReason = 'opted-out' | 'no-consent' | 'not-preferred-channel' | 'no-contact-window';

/**
 * - `send`: now, on the requested channel.
 * - `defer`: ask again at `until` (the first instant quiet hours and caps both allow).
 * - `suppress`: not on this channel, whatever the time; `no-contact-window` when the
 *   recipient's candidate zones share no allowed minute in the coming days.
 * - `switch-channel`: the customer prefers `to` and consented to it: make this contact
 *   there instead (ask again with `channel: to`).
 */
export type ContactDecision =
  | { action: 'send' }
  | { action: 'defer'; until: Date; reason: 'quiet-hours' | CapName }
  | { action: 'suppress'; reason: SuppressReason }
  | { action: 'switch-channel'; to: Channel };

const suppress = (reason: SuppressReason): ContactDecision => ({ action: 'suppress', reason });

/**
 * May we contact this person now, on this channel? Order:
 * 1. A reply to an inbound message: a HELP/STOP confirmation (`alwaysAllowed`)
 *    always goes; any other reply needs only "not opted out", stays on the
 *    channel the customer used, and ignores quiet hours while it is immediate.
 * 2. A proactive informational or marketing contact follows the preferred
 *    channel when that one is consented; marketing never goes to a channel the
 *    customer did not prefer. Transactional contacts keep their channel.
 * 3. Every non-reply send needs granted consent on its channel (TCPA prior
 *    express consent for autodialed calls and texts).
 * 4. Caps (not for transactional), then quiet hours from the time the caps
 *    free: the later of both, named by whichever set it.
 */
export const decideContact = (r: ContactRequest): ContactDecision => {
  const consent = r.consent[r.channel];
  if (r.replyToInbound) {
    if (r.kind === 'transactional' && r.alwaysAllowed) return { action: 'send' };
    if (consent === 'opted-out') return suppress('opted-out');
  } else {
    const preferred = r.preferredChannel;
    if (preferred && preferred !== r.channel && r.kind !== 'transactional') {
      if (r.consent[preferred] === 'granted') return { action: 'switch-channel', to: preferred };
      if (r.kind === 'marketing') return suppress('not-preferred-channel');
    }
    if (consent === 'opted-out') return suppress('opted-out');
    if (consent !== 'granted') return suppress('no-consent');
  }
  return timeToSend(r);
};

const timeToSend = (r: ContactRequest): ContactDecision => {
  const counted = r.recentSends.filter((s) => s.channel === r.channel && s.kind !== 'transactional').map((s) => s.at);
  const cap = checkCaps(r.channel, r.kind, counted, r.now, r.caps);
  // why: a reply deferred by a cap is no longer immediate, so quiet hours bind it again.
  if (cap.ok && r.replyToInbound) return { action: 'send' };
  const from = cap.ok ? r.now : cap.until;
  const next = nextAllowedAt(from, r.zones, r.states, r.rules, r.channel);
  if (!next.found) return suppress('no-contact-window');
  if (cap.ok) return next.at.getTime() === r.now.getTime() ? { action: 'send' } : { action: 'defer', until: next.at, reason: 'quiet-hours' };
  return { action: 'defer', until: next.at, reason: next.at.getTime() > cap.until.getTime() ? 'quiet-hours' : cap.cap };
};
