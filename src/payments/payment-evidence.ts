import type { DbClient } from '../db/pool.js';
import { newId } from '../shared/ids.js';
import { ensureInteraction } from '../evidence/interactions.js';

/**
 * Evidence types written by payments. Payloads carry provider ids, amounts,
 * decline codes and reasons; never card data (brand and last4 at most).
 */
export const PaymentEvidence = {
  /** A charge is about to be sent to Stripe (attempt id, idempotency key, amount, card brand/last4). */
  ATTEMPTED: 'payment.attempted',
  /** Stripe took the money. */
  SUCCEEDED: 'payment.succeeded',
  /** Stripe declined; with decline class and the reason in words. */
  FAILED: 'payment.failed',
  /** Stripe could not be reached; the outcome is unknown until a retry with the same key. */
  UNCERTAIN: 'payment.uncertain',
  /**
   * A pending attempt whose process died or lost Stripe's answer was looked up at Stripe after its
   * lease: what was found (by payment id or search) and what was done (settled, retried with its
   * own key, or failed because Stripe never received it).
   */
  RESOLVED: 'payment.resolved',
  /** A charge was not made because the card networks' retry rules forbid it. */
  BLOCKED: 'payment.blocked',
  /** A second payment arrived for a due already paid; it is refunded. */
  DUPLICATE: 'payment.duplicate',
  /** The due was marked paid and the policy's paid-to date moved. */
  DUE_PAID: 'due.paid',
  PAY_LINK_CREATED: 'pay-link.created',
  REFUND_REQUESTED: 'refund.requested',
  REFUND_SUCCEEDED: 'refund.succeeded',
  /** Stripe reports refunded amounts on a charge (charge.refunded). */
  REFUND_CONFIRMED: 'refund.confirmed',
  /** A Stripe webhook event was accepted (id, type, object id). */
  STRIPE_EVENT: 'stripe.event',
  RECOVERY_REQUESTED: 'recovery.requested',
  RECONCILIATION: 'reconciliation.report',
} as const;

/**
 * The payment interaction of a due (kind 'payment', ref 'due:<id>'): the
 * chain every attempt, result, refund and webhook about that due hangs off.
 */
export const ensurePaymentInteraction = async (client: DbClient, dueId: string, at: Date): Promise<string> => {
  const id = await insertOrFind(
    client,
    `with ins as (
       insert into interactions (id, kind, provider_ref, policy_id, policyholder_id, started_at, status)
       select $1, 'payment', $2, p.id, p.policyholder_id, $3, 'open'
         from premium_dues d join policies p on p.id = d.policy_id where d.id = $4
       on conflict (kind, provider_ref) where provider_ref is not null do nothing
       returning id)
     select id from ins union all select id from interactions where kind = 'payment' and provider_ref = $2 limit 1`,
    [newId(), `due:${dueId}`, at, dueId],
  );
  if (!id) throw new Error(`no premium due ${dueId}`);
  return id;
};

/**
 * Runs an insert-or-select of one interaction. When another transaction
 * inserts the same row concurrently, ours waits for it, skips the insert, and
 * its snapshot (taken before that commit) cannot see the row either; the next
 * statement can, so it runs again.
 */
const insertOrFind = async (client: DbClient, text: string, values: unknown[]): Promise<string | undefined> => {
  for (let attempt = 0; ; attempt++) {
    const { rows } = await client.query<{ id: string }>(text, values);
    if (rows[0] || attempt === 2) return rows[0]?.id;
  }
};

/** A system interaction for evidence about no particular due (e.g. one per day of webhooks). */
export const ensureSystemInteraction = (client: DbClient, ref: string, at: Date): Promise<string> =>
  ensureInteraction(client, { kind: 'system', providerRef: ref, status: 'open' }, at);
