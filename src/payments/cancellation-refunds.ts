import type { Db } from '../db/pool.js';
import { joinPolicySql, policyInceptionSql } from '../policies/policy-join-sql.js';
import { periodOf } from './billing-period.js';
import { computeRefund, type RefundGround } from './compute-refund.js';
import type { PaymentsDeps } from './payments-deps.js';
import { refundPayment } from './refund-payment.js';

const FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual'] as const;

type PaidPeriod = { attempt_id: string; amount_cents: number; refunded_cents: number; currency: string; period_start: string; period_end: string; inception: string };

/** The policy's successful payments whose period ends after `cancelDate` (what a cancellation may give back). */
const paidPeriods = async (db: Db, policyId: string, cancelDate: string): Promise<PaidPeriod[]> => {
  const { rows } = await db.query<PaidPeriod>(
    `select a.id as attempt_id, a.amount_cents::float8 as amount_cents, a.refunded_cents::float8 as refunded_cents, a.currency,
            d.due_date::text as period_start, (d.due_date + per.period)::date::text as period_end,
            ${policyInceptionSql('d.policy_id')}::text as inception
       from payment_attempts a join premium_dues d on d.id = a.due_id
       ${joinPolicySql('p', 'd.policy_id')}
       cross join lateral (select (case p.billing_frequency ${FREQUENCIES.map((f) => `when '${f}' then '${periodOf(f)}'`).join(' ')} end)::interval as period) per
      where d.policy_id = $1 and a.status = 'succeeded' and a.duplicate_of is null and (d.due_date + per.period)::date > $2::date
      order by d.due_date`,
    [policyId, cancelDate],
  );
  return rows;
};

export type CancellationRefundQuote = { refundCents: number; currency: string; parts: { attemptId: string; amountCents: number; explanation: string }[] };

const quoteFrom = (periods: PaidPeriod[], ground: RefundGround, cancelDate: string, freeLookDays: number): CancellationRefundQuote => {
  const parts = periods.map((p) => {
    const c = computeRefund({
      ground, paidCents: p.amount_cents, refundedCents: p.refunded_cents, periodStart: p.period_start, periodEnd: p.period_end,
      inceptionDate: p.inception, cancelDate, freeLookDays,
    });
    return { attemptId: p.attempt_id, amountCents: c.amountCents, explanation: c.explanation };
  }).filter((p) => p.amountCents > 0);
  return { refundCents: parts.reduce((s, p) => s + p.amountCents, 0), currency: periods[0]?.currency ?? 'usd', parts };
};

/**
 * What cancelling a policy on `cancelDate` gives back, by the refund rules
 * (compute-refund.ts: in full within the free-look period or for mis-selling,
 * else pro-rata by unused days), summed over its paid periods. Reads only.
 */
export const quoteCancellationRefund = async (
  deps: { db: Db; freeLookDays: number }, policyId: string, cancelDate: string, ground: RefundGround = 'cancellation',
): Promise<CancellationRefundQuote> => quoteFrom(await paidPeriods(deps.db, policyId, cancelDate), ground, cancelDate, deps.freeLookDays);

/**
 * Issues the refunds of a cancellation through the payments port, one per paid
 * period (refundPayment is idempotent per payment and kind, so a re-run gives
 * nothing back twice). Returns what was refunded or is pending.
 */
export const refundCancelledPolicy = async (
  deps: PaymentsDeps, policyId: string, cancelDate: string, ground: RefundGround, requestedBy: string,
): Promise<{ refundCents: number; refunds: { refundId: string; amountCents: number; status: string }[] }> => {
  const periods = await paidPeriods(deps.db, policyId, cancelDate);
  const refunds = [];
  for (const p of quoteFrom(periods, ground, cancelDate, deps.config.freeLookDays).parts) {
    const r = await refundPayment({ attemptId: p.attemptId, ground, cancelDate, requestedBy }, deps);
    refunds.push({ refundId: r.refundId, amountCents: r.amountCents, status: r.status });
  }
  return { refundCents: refunds.filter((r) => r.status !== 'failed').reduce((s, r) => s + r.amountCents, 0), refunds };
};
