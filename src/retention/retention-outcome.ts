import type { Queryable } from '../db/pool.js';
import { newId } from '../shared/ids.js';

/** How a retention case ended (cancellation_requests.outcome). */
export type RetentionOutcome = 'downgraded' | 'date-moved' | 'instalment-skipped' | 'kept' | 'cancelled' | 'not-applied';

/**
 * The cancellation request of this call or text, created if its recording job has
 * not run yet, and locked for the caller's transaction; `outcome` says whether
 * the case was already decided (a job run twice decides once).
 */
export const lockRetentionCase = async (
  db: Queryable, c: { policyId: string; policyholderId: string; channel: string; sourceRef: string; now: Date },
): Promise<{ id: string; outcome: RetentionOutcome | null }> => {
  const { rows } = await db.query<{ id: string; outcome: RetentionOutcome | null }>(
    `insert into cancellation_requests (id, policy_id, policyholder_id, channel, source_ref, requested_at)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (channel, source_ref) do update set policy_id = cancellation_requests.policy_id
     returning id, outcome`,
    [newId(), c.policyId, c.policyholderId, c.channel, c.sourceRef, c.now],
  );
  return rows[0]!;
};

/** Records how the case ended: what was accepted (or the cancellation), why, what was declined. */
export const decideRetentionCase = async (
  db: Queryable, id: string,
  d: { outcome: RetentionOutcome; reason: string | null; declined: readonly string[]; offer?: unknown; cancelEffectiveDate?: string; now: Date },
): Promise<void> => {
  const status = d.outcome === 'cancelled' ? 'cancelled' : d.outcome === 'not-applied' ? 'open' : 'retained';
  await db.query(
    `update cancellation_requests set status = $2, outcome = $3, reason = coalesce($4, reason), offers_declined = $5, offer = $6,
            cancel_effective_date = $7::date, outcome_at = $8 where id = $1`,
    [id, status, d.outcome, d.reason, d.declined, d.offer === undefined ? null : JSON.stringify(d.offer), d.cancelEffectiveDate ?? null, d.now],
  );
};

/** What a cancellation refunded, once the payments port answered. */
export const recordCaseRefund = async (db: Queryable, id: string, refundCents: number): Promise<void> => {
  await db.query('update cancellation_requests set refund_cents = $2 where id = $1', [id, refundCents]);
};
