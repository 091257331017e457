import type { Db } from '../db/pool.js';
import type { PolicyPaymentRecords } from '../evidence/retrieval/policy-timeline.js';

/** Payments' side of evidence's PolicyPaymentRecords port (compliance timelines): dues and attempts by policy. */
export const createPolicyPaymentRecords = (db: Db): PolicyPaymentRecords => ({
  dueIdsOf: async (policyIds) =>
    (await db.query<{ id: string }>('select id::text as id from premium_dues where policy_id = any($1::uuid[])', [policyIds])).rows.map((r) => r.id),
  attemptsOf: async (q) => (await db.query(
    `select a.id, a.attempt_no, a.channel, a.provider, a.provider_payment_id, a.status, a.amount_cents, a.currency, a.decline_code,
            a.decline_class, a.created_at, d.due_date
       from payment_attempts a join premium_dues d on d.id = a.due_id
      where d.policy_id = $1 and a.created_at between $2 and $3 order by a.created_at`,
    [q.policyId, q.from, q.to],
  )).rows,
});
