import type { DbClient } from '../db/pool.js';
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
export const ensurePaymentInteraction = (
  client: DbClient,
  due: { id: string; policy_id: string; policyholder_id: string },
  at: Date,
): Promise<string> =>
  ensureInteraction(client, { kind: 'payment', providerRef: `due:${due.id}`, status: 'open', policyId: due.policy_id, policyholderId: due.policyholder_id }, at);

/** A system interaction for evidence about no particular due (e.g. one per day of webhooks). */
export const ensureSystemInteraction = (client: DbClient, ref: string, at: Date): Promise<string> =>
  ensureInteraction(client, { kind: 'system', providerRef: ref, status: 'open' }, at);
