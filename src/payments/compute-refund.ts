/** Why money goes back. */
export type RefundGround = 'cancellation' | 'mis-selling' | 'duplicate';

export type RefundInput = {
  ground: RefundGround;
  /** What the payment took and what was already given back, in cents. */
  paidCents: number;
  refundedCents: number;
  /** The premium period this payment covers: [periodStart, periodEnd), calendar days 'YYYY-MM-DD'. */
  periodStart: string;
  periodEnd: string;
  /** First day of cover, for the free-look window. */
  inceptionDate: string;
  /** Day the cover ends (cancellation effective date). */
  cancelDate: string;
  freeLookDays: number;
};

export type RefundComputation = {
  kind: 'full-free-look' | 'full-mis-selling' | 'pro-rata' | 'duplicate';
  amountCents: number;
  /** How the amount was reached, for the specialist and the evidence log. */
  explanation: string;
};

const DAY_MS = 86_400_000;
const dayNumber = (d: string): number => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw new RangeError(`not a calendar date: ${d}`);
  return Math.round(Date.parse(`${d}T00:00:00Z`) / DAY_MS);
};
const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/**
 * The refund owed for one payment, in integer cents.
 * - Duplicate payment, mis-selling complaint, or cancellation within the
 *   free-look window (inception + freeLookDays, inclusive): everything not yet refunded.
 * - Otherwise pro-rata: the unused days of the covered period,
 *   `floor(paid * unusedDays / periodDays)`. Rounding is down to the cent
 *   (explicitly, in integer arithmetic) so the sum of refunds never exceeds
 *   what was paid; a cancellation before the period starts refunds it all.
 * Never more than what remains unrefunded. Pure.
 */
export const computeRefund = (i: RefundInput): RefundComputation => {
  if (!Number.isSafeInteger(i.paidCents) || !Number.isSafeInteger(i.refundedCents) || i.paidCents < 0 || i.refundedCents < 0) {
    throw new RangeError('amounts must be non-negative integer cents');
  }
  const remaining = Math.max(0, i.paidCents - i.refundedCents);
  if (i.ground === 'duplicate') {
    return { kind: 'duplicate', amountCents: remaining, explanation: `Duplicate payment: refund of the remaining ${money(remaining)}.` };
  }
  if (i.ground === 'mis-selling') {
    return { kind: 'full-mis-selling', amountCents: remaining, explanation: `Mis-selling complaint: full refund of ${money(remaining)}.` };
  }
  const cancel = dayNumber(i.cancelDate);
  const freeLookEnd = dayNumber(i.inceptionDate) + i.freeLookDays;
  if (cancel <= freeLookEnd) {
    return {
      kind: 'full-free-look',
      amountCents: remaining,
      explanation: `Cancelled ${cancel - dayNumber(i.inceptionDate)} days after inception, within the ${i.freeLookDays}-day free-look period: full refund of ${money(remaining)}.`,
    };
  }
  const start = dayNumber(i.periodStart);
  const end = dayNumber(i.periodEnd);
  if (end <= start) throw new RangeError('the period must end after it starts');
  const total = end - start;
  const unused = Math.min(total, Math.max(0, end - Math.max(cancel, start)));
  // why: BigInt keeps paid * unused exact whatever the premium; division truncates (rounds down).
  const prorated = Number((BigInt(i.paidCents) * BigInt(unused)) / BigInt(total));
  const amount = Math.min(prorated, remaining);
  return {
    kind: 'pro-rata',
    amountCents: amount,
    explanation: `Pro-rata: ${unused} unused of ${total} days of ${money(i.paidCents)} = ${money(prorated)} (rounded down to the cent)` +
      (amount < prorated ? `, limited to the ${money(remaining)} not yet refunded.` : '.'),
  };
};
