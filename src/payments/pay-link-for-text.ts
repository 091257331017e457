import { AppError } from '../shared/app-error.js';
import { createPayLink } from './create-pay-link.js';
import type { PaymentsDeps } from './payments-deps.js';
import { joinPolicySql } from '../policies/policy-join-sql.js';

/**
 * The pay link a texter asked for: the due's live link reused, or a new one (createPayLink, not
 * texted by payments: the SMS conversation words and sends it), with the amount and policy the
 * text names; `paid` when the due was paid meanwhile. Throws PAY_DUE_NOT_FOUND / PAY_DUE_NOT_PAYABLE.
 */
export const payLinkForText = async (
  dueId: string,
  deps: PaymentsDeps,
): Promise<{ status: 'open'; url: string; expiresAt: Date; amountCents: number; currency: string; policyNumber: string } | { status: 'paid'; policyNumber: string }> => {
  const { rows } = await deps.db.query<{ amount_cents: number; currency: string; policy_number: string }>(
    `select d.amount_cents, d.currency, p.policy_number from premium_dues d ${joinPolicySql('p', 'd.policy_id')} where d.id = $1`,
    [dueId],
  );
  const due = rows[0];
  if (!due) throw new AppError('PAY_DUE_NOT_FOUND', `no premium due ${dueId}`);
  try {
    const link = await createPayLink({ dueId, text: false }, deps);
    return { status: 'open', url: link.url, expiresAt: link.expiresAt, amountCents: due.amount_cents, currency: due.currency, policyNumber: due.policy_number };
  } catch (err) {
    if (err instanceof AppError && err.code === 'PAY_DUE_ALREADY_PAID') return { status: 'paid', policyNumber: due.policy_number };
    throw err;
  }
};
