import type { Queryable } from '../db/pool.js';

export type PaymentHistory = {
  /** The policy's latest dues, newest first: what it cost and whether it was paid. */
  dues: { dueDate: string; amountCents: number; currency: string; status: string; paidAt: string | null }[];
  /** Declined or failed payments, newest first, with the reason in words a specialist can act on. */
  failures: { at: string; amountCents: number; channel: string; reason: string | null; declineClass: string | null; cardLast4: string | null }[];
};

/** A policy's premium history and payment failures (for a specialist's screen), the latest `limit` of each. */
export const findPaymentHistory = async (db: Queryable, policyId: string, limit = 6): Promise<PaymentHistory> => {
  const { rows } = await db.query<{ dues: PaymentHistory['dues'] | null; failures: PaymentHistory['failures'] | null }>(
    `select
       (select json_agg(x) from (select d.due_date::text as "dueDate", d.amount_cents as "amountCents", d.currency, d.status,
                                        d.paid_at as "paidAt"
                                   from premium_dues d where d.policy_id = $1 order by d.due_date desc limit $2) x) as dues,
       (select json_agg(y) from (select a.created_at as at, a.amount_cents as "amountCents", a.channel, a.failure_reason as reason,
                                        a.decline_class as "declineClass", a.card_last4 as "cardLast4"
                                   from payment_attempts a join premium_dues d on d.id = a.due_id
                                  where d.policy_id = $1 and a.status = 'failed' order by a.created_at desc limit $2) y) as failures`,
    [policyId, limit],
  );
  return { dues: rows[0]?.dues ?? [], failures: rows[0]?.failures ?? [] };
};
