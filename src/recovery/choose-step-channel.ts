import { DateTime } from 'luxon';
import { canRetryCard } from '../payments/card-retry-limits.js';
import { formatMoney } from '../shared/format-money.js';
import type { RecoveryChannel, RecoveryFacts } from './recovery-facts.js';
import type { RecoverySchedule, RecoveryStep, RecoveryStepKind } from './recovery-schedule-config.js';

/** How a step runs (`does` on `channel`, perhaps at a later `at`), or why it cannot. */
export type StepChoice =
  | { run: true; does: RecoveryStepKind; channel: RecoveryChannel; why: string | null; at?: DateTime }
  | { run: false; why: string };

/** Why a call goes to a human caller, or null: a premium above the configured threshold, or the customer's own request. */
export const escalationReason = (schedule: RecoverySchedule, facts: RecoveryFacts): string | null => {
  if (facts.askedForPerson) return 'the customer asked for a person';
  const above = schedule.escalation.premiumAboveCents;
  if (above !== undefined && facts.amountCents > above) {
    return `the premium of ${formatMoney(facts.amountCents, facts.currency, 'en-US')} is above ${formatMoney(above, facts.currency, 'en-US')}`;
  }
  return null;
};

const NO_CONSENT = 'no consent to text or call the customer';

/** A call: the automated one, or a human caller when escalation applies. */
const call = (does: RecoveryStepKind, escalation: string | null, why: string | null): StepChoice =>
  escalation ? { run: true, does, channel: 'specialist', why: [why, `a person calls: ${escalation}`].filter(Boolean).join('; ') } : { run: true, does, channel: 'voice', why };

/** A message that is a text where the customer agreed to texts, else said in a call where they agreed to calls. */
const textOrCall = (does: RecoveryStepKind, facts: RecoveryFacts, escalation: string | null, why: string | null): StepChoice => {
  if (facts.consent.sms) return { run: true, does, channel: 'sms', why };
  if (facts.consent.voice) return call(does, escalation, [why, 'no SMS consent, said in a call instead'].filter(Boolean).join('; '));
  return { run: false, why: [why, NO_CONSENT].filter(Boolean).join('; ') };
};

/** A pay link where the customer agreed to texts, else the IVR's pay flow in a call. */
const payLink = (facts: RecoveryFacts, escalation: string | null, why: string | null): StepChoice => {
  if (facts.consent.sms) return { run: true, does: 'sms-pay-link', channel: 'sms', why };
  if (facts.consent.voice) return call('call', escalation, [why, 'no SMS consent, a call to pay instead'].filter(Boolean).join('; '));
  return { run: false, why: [why, NO_CONSENT].filter(Boolean).join('; ') };
};

/**
 * A charge retry at `at` if the decline allows it and the card networks' caps
 * have room; a retry moved to when the caps free a slot (before the end of
 * grace); otherwise a pay link, since only other card details can help.
 */
const chargeRetry = (facts: RecoveryFacts, at: DateTime, graceEnd: DateTime, escalation: string | null): StepChoice => {
  const verdict = facts.decline.class === 'retry-later'
    ? canRetryCard(facts.card.network, facts.card.attempts, at.toJSDate())
    : { allowed: false as const, reason: `${facts.decline.reason} (${facts.decline.basis})`, retryAfter: null };
  if (verdict.allowed) return { run: true, does: 'charge-retry', channel: 'card', why: null };
  if (verdict.retryAfter) {
    const later = DateTime.fromJSDate(verdict.retryAfter, { zone: at.zone });
    if (later < graceEnd) return { run: true, does: 'charge-retry', channel: 'card', why: `${verdict.reason} Moved to ${later.toISO()}`, at: later };
    return { run: false, why: `${verdict.reason} No slot before the end of grace.` };
  }
  return payLink(facts, escalation, `no charge: ${verdict.reason} A pay link instead`);
};

/**
 * How one step reaches this customer, given their consent, the decline and the
 * card networks' caps at `at`: a text becomes a call without SMS consent, a call
 * becomes a pay link by text without voice consent, a charge the bank will refuse
 * becomes a pay link; the cancellation always runs (its notice by text, call or not at all).
 */
export const chooseStepChannel = (step: RecoveryStep, facts: RecoveryFacts, at: DateTime, graceEnd: DateTime, escalation: string | null): StepChoice => {
  switch (step.kind) {
    case 'sms-pay-link':
      return payLink(facts, escalation, null);
    case 'call':
      if (facts.consent.voice) return call('call', escalation, null);
      return payLink(facts, escalation, facts.consent.sms ? 'no voice consent, a pay link by text instead' : null);
    case 'charge-retry':
      return chargeRetry(facts, at, graceEnd, escalation);
    case 'reminder-sms':
    case 'final-notice':
    case 'reinstatement-offer':
      return textOrCall(step.kind, facts, escalation, null);
    case 'cancel': {
      const channel = facts.consent.sms ? 'sms' : facts.consent.voice ? 'voice' : 'none';
      return { run: true, does: 'cancel', channel, why: channel === 'none' ? `${NO_CONSENT}: cancelled without a notice from us` : null };
    }
  }
};
