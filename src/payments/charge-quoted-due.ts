import { AppError } from '../shared/app-error.js';
import { chargeDue } from './charge-due.js';
import type { PaymentsDeps } from './payments-deps.js';
import { joinPolicySql } from '../policies/policy-join-sql.js';

/** What a payment confirmed by text came to, with what the customer's answer names. */
export type QuotedChargeOutcome = {
  outcome: 'succeeded' | 'already-paid' | 'declined' | 'pending' | 'changed';
  /** The paying attempt, for the receipt (succeeded, or already paid by one). */
  attemptId: string | null;
  policyNumber: string | null;
};

/**
 * Charges a due the customer confirmed by text, only as quoted: still owed, the same amount, the
 * card on file still the one named. Otherwise nothing is charged (`changed`). chargeDue makes it
 * once per due whatever else pays it at the same moment (a call, a pay link). Throws when Stripe
 * cannot be reached (the job retries with the same idempotency key).
 */
export const chargeQuotedDue = async (
  q: { dueId: string; amountCents: number; paymentMethodId: string },
  deps: PaymentsDeps,
): Promise<QuotedChargeOutcome> => {
  const { rows } = await deps.db.query<{ status: string; amount_cents: number; policy_number: string; pm: string | null }>(
    `select d.status, d.amount_cents, p.policy_number,
            (select provider_payment_method_id from payment_methods m where m.policyholder_id = p.policyholder_id
              order by is_default desc, created_at desc limit 1) as pm
       from premium_dues d ${joinPolicySql('p', 'd.policy_id')} where d.id = $1`,
    [q.dueId],
  );
  const due = rows[0];
  if (!due) return { outcome: 'changed', attemptId: null, policyNumber: null };
  const policyNumber = due.policy_number;
  if (due.status !== 'paid' && (due.amount_cents !== q.amountCents || due.pm !== q.paymentMethodId)) return { outcome: 'changed', attemptId: null, policyNumber };
  let r;
  try {
    r = await chargeDue({ dueId: q.dueId, channel: 'sms' }, deps);
  } catch (err) {
    if (err instanceof AppError && ['PAY_DUE_NOT_FOUND', 'PAY_DUE_NOT_PAYABLE', 'PAY_NO_PAYMENT_METHOD'].includes(err.code)) {
      return { outcome: 'changed', attemptId: null, policyNumber };
    }
    throw err;
  }
  switch (r.outcome) {
    // why: a duplicate success is refunded by payments; the receipt owed is the first payment's, not this one's.
    case 'succeeded': return r.duplicate ? { outcome: 'already-paid', attemptId: null, policyNumber } : { outcome: 'succeeded', attemptId: r.attemptId, policyNumber };
    case 'already-paid': return { outcome: 'already-paid', attemptId: r.attemptId, policyNumber };
    case 'failed':
    case 'blocked': return { outcome: 'declined', attemptId: null, policyNumber };
    default: return { outcome: 'pending', attemptId: r.attemptId, policyNumber };
  }
};
