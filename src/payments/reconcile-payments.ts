import { withTransaction } from '../db/pool.js';
import { appendEvidenceInTx } from '../evidence/append-in-transaction.js';
import { ensureSystemInteraction, PaymentEvidence } from './payment-evidence.js';
import type { PaymentsDeps } from './payments-deps.js';

export type Mismatch = {
  kind: 'missing-here' | 'missing-at-stripe' | 'status-differs' | 'amount-differs' | 'refund-differs';
  paymentId: string | null;
  attemptId: string | null;
  dueId: string | null;
  ours: string | null;
  theirs: string | null;
};

/**
 * Compares Stripe's payments created since `since` with our attempts and
 * reports every difference (a success we never recorded, a status or amount
 * that differs, refunds we do not know of, a success Stripe does not have).
 * Reports only: fixing is a person's decision. The report is evidence on a
 * system interaction ('reconciliation:<date>').
 */
export const reconcilePayments = async ({ since }: { since: Date }, deps: PaymentsDeps): Promise<{ checked: number; mismatches: Mismatch[] }> => {
  const theirs = await deps.gateway.listRecentPayments(since);
  const { rows: ours } = await deps.db.query<{ id: string; due_id: string; status: string; provider_payment_id: string | null; amount_cents: number;
    refunded_cents: number }>(
    `select id, due_id, status, provider_payment_id, amount_cents, refunded_cents from payment_attempts
      where provider = 'stripe' and (created_at >= $1 or provider_payment_id = any($2::text[]))`,
    [since, theirs.map((p) => p.paymentId)],
  );
  const byPayment = new Map(ours.filter((a) => a.provider_payment_id).map((a) => [a.provider_payment_id!, a]));
  const mismatches: Mismatch[] = [];
  for (const p of theirs) {
    const a = byPayment.get(p.paymentId);
    const dueId = p.metadata.due_id ?? null;
    if (!a) {
      if (p.status === 'succeeded') mismatches.push({ kind: 'missing-here', paymentId: p.paymentId, attemptId: null, dueId, ours: null, theirs: p.status });
      continue;
    }
    const ourStatus = a.status === 'requires_action' ? 'pending' : a.status;
    const theirStatus = p.status === 'succeeded' ? 'succeeded' : p.status === 'failed' ? 'failed' : 'pending';
    if (ourStatus !== theirStatus) {
      mismatches.push({ kind: 'status-differs', paymentId: p.paymentId, attemptId: a.id, dueId: a.due_id, ours: a.status, theirs: p.status });
    } else if (theirStatus === 'succeeded' && a.amount_cents !== p.amountCents) {
      mismatches.push({ kind: 'amount-differs', paymentId: p.paymentId, attemptId: a.id, dueId: a.due_id, ours: String(a.amount_cents), theirs: String(p.amountCents) });
    }
    if (a.refunded_cents !== p.amountRefundedCents) {
      mismatches.push({ kind: 'refund-differs', paymentId: p.paymentId, attemptId: a.id, dueId: a.due_id, ours: String(a.refunded_cents), theirs: String(p.amountRefundedCents) });
    }
  }
  const known = new Set(theirs.map((p) => p.paymentId));
  for (const a of ours) {
    if (a.status === 'succeeded' && a.provider_payment_id && !known.has(a.provider_payment_id)) {
      mismatches.push({ kind: 'missing-at-stripe', paymentId: a.provider_payment_id, attemptId: a.id, dueId: a.due_id, ours: a.status, theirs: null });
    }
  }
  await withTransaction(deps.db, async (client) => {
    const now = deps.clock.now();
    const id = await ensureSystemInteraction(client, `reconciliation:${now.toISOString().slice(0, 10)}`, now);
    await appendEvidenceInTx(client, id, [{
      type: PaymentEvidence.RECONCILIATION, payload: { since, checked: theirs.length, mismatches },
    }], now);
  });
  return { checked: theirs.length, mismatches };
};
