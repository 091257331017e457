import { formatMoney } from '../../shared/format-money.js';
import type { ScreenPop } from './build-screen-pop.js';

const REASONS: Record<string, string> = {
  'too-expensive': 'it costs too much', 'found-cheaper': 'found cheaper or duplicate cover', 'no-longer-needed': 'no longer needs it',
  'family-objects': 'a family member objects', 'mis-sold': 'says it was mis-sold', other: 'another reason',
};
const OFFERS: Record<string, string> = {
  'downgrade-tier': 'a lower tier', 'downgrade-sum': 'a lower sum insured', 'move-date': 'a new payment date',
  'skip-instalment': 'skipping an instalment', 'explain-cover': 'the cover explained',
};
const WHY: Record<string, string> = {
  cancel: 'wants to cancel', 'mis-selling': 'has a mis-selling complaint, priority', asked: 'asked for a specialist', trouble: 'had trouble in self-service',
};

const list = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/**
 * Pure: the whisper a specialist hears before accepting, in plain words: who,
 * which policy and what it costs, why, the offers declined, payment failures.
 * Said in English (the specialists' working language). A callback's whisper says it is one, and
 * that pressing 1 calls the customer.
 */
export const whisperText = (p: ScreenPop, insurer: string): string => {
  const callback = p.kind === 'callback';
  const who = callback ? 'The customer' : 'The caller';
  const parts = [`${insurer} ${callback ? 'callback' : 'transfer'}.`, `${p.caller.name ?? (callback ? 'A customer we could not identify' : 'An unidentified caller')}`];
  if (p.policy) {
    parts.push(`policy ${p.policy.policyNumber.split('').join(' ')}, ${p.policy.product} ${p.policy.coverageTier}, ${formatMoney(p.policy.premiumCents, p.policy.currency, 'en-US')} ${p.policy.billingFrequency}.`);
  } else {
    parts[1] = `${parts[1]}.`;
  }
  const why = WHY[p.reason] ?? p.reason;
  parts.push(`${who} ${why}${p.cancelReason ? `: ${REASONS[p.cancelReason] ?? p.cancelReason}` : ''}.`);
  if (p.offersDeclined.length) parts.push(`Declined ${list(p.offersDeclined.map((o) => OFFERS[o] ?? o))}.`);
  if (p.paymentFailures.length) {
    const last = p.paymentFailures[0]!;
    parts.push(`${p.paymentFailures.length} failed payment${p.paymentFailures.length > 1 ? 's' : ''}, the last: ${(last.reason ?? 'declined').replace(/[.\s]+$/, '')}.`);
  }
  if (p.caller.name && p.locale === 'es-US') parts.push(`${who} speaks Spanish.`);
  parts.push(callback ? 'Press 1 to call them now, or 2 to decline.' : 'Press 1 to accept, or 2 to decline.');
  return parts.join(' ');
};
