import { withTransaction } from '../db/pool.js';
import { appendEvidenceInTx, appendOnLockedHead } from '../evidence/append-in-transaction.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import { AppError } from '../shared/app-error.js';
import { newId } from '../shared/ids.js';
import { canRetryCard, type CardAttempt } from './card-retry-limits.js';
import type { DeclineClass } from './classify-decline.js';
import { PaymentEvidence } from './payment-evidence.js';
import type { ChargeResult } from './payment-gateway.js';
import type { PaymentsDeps } from './payments-deps.js';
import { ensureCustomer, savePaymentMethod, type CustomerHolder } from './save-payment-method.js';
import { isCustomerPresent } from './customer-present.js';
import { lockDue, paymentInteractionOf } from './lock-due.js';
import { recordPaymentFailed } from './record-payment-failure.js';
import { recordPaymentSucceeded } from './record-payment-success.js';
import { settleContext } from './settle-context.js';
import { interactionHeadJoin } from '../evidence/interactions.js';
import { joinHolderSql, joinPolicySql } from '../policies/policy-join-sql.js';

export type ChargeDueInput = {
  dueId: string;
  /** Where the charge comes from: 'ivr', 'retry', 'console'... (stored on the attempt). */
  channel: string;
  /** A freshly tokenised card (pm_...) to save and use; otherwise the card on file. */
  paymentMethodId?: string;
};

export type ChargeDueResult =
  | { outcome: 'succeeded'; attemptId: string; paymentId: string; duplicate: boolean }
  | { outcome: 'already-paid'; attemptId: string | null }
  /** Another caller is charging this due right now; its result will settle the due. */
  | { outcome: 'in-progress'; attemptId: string }
  | { outcome: 'failed'; attemptId: string; paymentId: string | null; declineClass: DeclineClass; reason: string }
  | { outcome: 'processing'; attemptId: string; paymentId: string }
  /** No charge made: the card networks' retry rules or an earlier hard decline forbid it. */
  | { outcome: 'blocked'; reason: string; retryAfter: Date | null };

const DEFAULT_LEASE_MS = 120_000;

type Plan = {
  attemptId: string; dueId: string; key: string; pm: string; amountCents: number; currency: string; channel: string;
  policyId: string; description: string;
};

/**
 * Charges a premium due off-session, at most once whatever the concurrency,
 * crashes or network: the due row is locked while we decide; an existing
 * success is returned; a pending attempt held by another caller is reported
 * in progress; an abandoned one (crash, network failure) is resumed with its
 * own idempotency key so Stripe answers the first outcome instead of charging
 * again; otherwise a new attempt `pay:{policyId}:{dueId}:{n}` is committed
 * BEFORE Stripe is called, outside the transaction. The result is recorded
 * like a webhook would (same code, either order), with evidence throughout.
 *
 * Throws PAY_DUE_NOT_FOUND, PAY_DUE_NOT_PAYABLE, PAY_NO_PAYMENT_METHOD, and
 * PAY_PROVIDER_UNAVAILABLE when Stripe cannot be reached (call again later:
 * the same key is reused).
 */
export const chargeDue = async ({ dueId, channel, paymentMethodId }: ChargeDueInput, deps: PaymentsDeps): Promise<ChargeDueResult> => {
  const head = await deps.db.query<{
    status: string; policyholder_id: string; provider_customer_id: string | null; first_name: string; last_name: string; email: string | null;
  }>(
    `select d.status, p.policyholder_id, h.provider_customer_id, h.first_name, h.last_name, h.email
       from premium_dues d ${joinPolicySql('p', 'd.policy_id')} ${joinHolderSql('h', 'p.policyholder_id')} where d.id = $1`,
    [dueId],
  );
  const pre = head.rows[0];
  if (!pre) throw new AppError('PAY_DUE_NOT_FOUND', `no premium due ${dueId}`);
  if (pre.status === 'waived' || pre.status === 'void') throw new AppError('PAY_DUE_NOT_PAYABLE', `due ${dueId} is ${pre.status}`);

  let card: { pm: string; brand: string | null; last4: string | null } | null = null;
  const holder: CustomerHolder = {
    policyholderId: pre.policyholder_id, customerId: pre.provider_customer_id, name: `${pre.first_name} ${pre.last_name}`, email: pre.email,
  };
  let customerId = pre.provider_customer_id;
  if (pre.status !== 'paid') {
    if (paymentMethodId) {
      const saved = await savePaymentMethod({ policyholderId: pre.policyholder_id, paymentMethodId, holder }, deps);
      customerId = saved.customerId;
      card = { pm: saved.paymentMethodId, brand: saved.brand, last4: saved.last4 };
    } else {
      const { rows } = await deps.db.query<{ provider_payment_method_id: string; brand: string | null; last4: string | null }>(
        `select provider_payment_method_id, brand, last4 from payment_methods where policyholder_id = $1
          order by is_default desc, created_at desc limit 1`,
        [pre.policyholder_id],
      );
      const r = rows[0];
      card = r ? { pm: r.provider_payment_method_id, brand: r.brand, last4: r.last4 } : null;
    }
  }

  const now = deps.clock.now();
  const leaseUntil = new Date(now.getTime() + (deps.config.chargeLeaseMs ?? DEFAULT_LEASE_MS));
  const decided = await withTransaction(deps.db, async (client): Promise<ChargeDueResult | { plan: Plan; interactionId: string }> => {
    const due = await lockDue(client, dueId);
    if (!due) throw new AppError('PAY_DUE_NOT_FOUND', `no premium due ${dueId}`);
    if (due.status === 'paid') {
      const paid = await client.query<{ id: string }>(
        `select id from payment_attempts where due_id = $1 and status = 'succeeded' order by created_at limit 1`, [dueId]);
      return { outcome: 'already-paid', attemptId: paid.rows[0]?.id ?? null };
    }
    const interactionId = await paymentInteractionOf(client, due, now);
    const description = `Premium ${due.policy_number} due ${due.due_date}`;
    // One read under the lock: the chain head (locked), an attempt still open, the card's history, the next attempt number.
    const { rows: [read] } = await client.query<{
      seq: number; hash: string; next_no: number;
      open: { id: string; idempotency_key: string; provider_payment_method_id: string | null; amount_cents: number; currency: string;
        channel: string; claimed_until: string | null } | null;
      history: { at: string; status: CardAttempt['status']; declineClass: DeclineClass | null }[];
    }>(
      `select i.evidence_seq as seq, i.evidence_head as hash,
              (select row_to_json(a) from (
                 select id, idempotency_key, provider_payment_method_id, amount_cents, currency, channel, claimed_until from payment_attempts
                  where due_id = $1 and status in ('pending', 'requires_action') order by attempt_no desc limit 1) a) as open,
              (select coalesce(json_agg(json_build_object('at', created_at, 'status', status, 'declineClass', decline_class)), '[]')
                 from payment_attempts where provider_payment_method_id = $2) as history,
              (select coalesce(max(attempt_no), 0) + 1 from payment_attempts where due_id = $1) as next_no
         from (select 1) one ${interactionHeadJoin('i', { idExpr: '$3::uuid' }, { lock: true })}
        where i.id is not null`,
      [dueId, card?.pm ?? null, interactionId],
    );
    if (!read) throw new Error(`evidence: unknown interaction ${interactionId}`);
    const head = { interactionId, seq: read.seq, hash: read.hash };
    const open = read.open;
    if (open) {
      if (open.claimed_until && new Date(open.claimed_until) > now) return { outcome: 'in-progress', attemptId: open.id };
      await client.query('update payment_attempts set claimed_until = $2, updated_at = $3 where id = $1', [open.id, leaseUntil, now]);
      await appendOnLockedHead(client, head, [{
        type: PaymentEvidence.ATTEMPTED,
        payload: { attemptId: open.id, idempotencyKey: open.idempotency_key, amountCents: open.amount_cents, resumed: true, channel },
      }], now);
      return { interactionId, plan: {
        attemptId: open.id, dueId, key: open.idempotency_key, pm: open.provider_payment_method_id ?? '', amountCents: open.amount_cents,
        currency: open.currency, channel: open.channel, policyId: due.policy_id, description,
      } };
    }
    if (!card) throw new AppError('PAY_NO_PAYMENT_METHOD', `no card on file for due ${dueId}`);
    const verdict = canRetryCard(card.brand, read.history.map((r) => ({ at: new Date(r.at), status: r.status, declineClass: r.declineClass })), now);
    if (!verdict.allowed) {
      await appendOnLockedHead(client, head, [{
        type: PaymentEvidence.BLOCKED, payload: { dueId, cardBrand: card.brand, cardLast4: card.last4, reason: verdict.reason, retryAfter: verdict.retryAfter },
      }], now);
      return { outcome: 'blocked', reason: verdict.reason, retryAfter: verdict.retryAfter };
    }
    const attemptNo = read.next_no;
    const plan: Plan = {
      attemptId: newId(), dueId, key: `pay:${due.policy_id}:${dueId}:${attemptNo}`, pm: card.pm, amountCents: due.amount_cents,
      currency: due.currency, channel, policyId: due.policy_id, description,
    };
    // The attempt is committed with its evidence, in one statement, before Stripe is called.
    await appendOnLockedHead(client, head, [{
      type: PaymentEvidence.ATTEMPTED,
      payload: { attemptId: plan.attemptId, attemptNo, idempotencyKey: plan.key, amountCents: plan.amountCents, currency: plan.currency,
        channel, cardBrand: card.brand, cardLast4: card.last4 },
    }], now, {
      with: (p) => `a as (insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, status, amount_cents, currency,
                                                provider_payment_method_id, card_brand, card_last4, claimed_until, created_at, updated_at)
                   values ($${p}, $${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, 'pending', $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8}, $${p + 9}, $${p + 10}, $${p + 11}, $${p + 11}))`,
      values: [plan.attemptId, dueId, attemptNo, channel, plan.key, plan.amountCents, plan.currency, card.pm, card.brand, card.last4, leaseUntil, now],
    });
    return { interactionId, plan };
  });
  if ('outcome' in decided) return decided;
  const { plan, interactionId } = decided;

  let result: ChargeResult;
  try {
    result = await deps.gateway.chargeOffSession({
      customerId: customerId ?? (await ensureCustomer(pre.policyholder_id, deps, holder)), paymentMethodId: plan.pm, amountCents: plan.amountCents, currency: plan.currency, idempotencyKey: plan.key,
      description: plan.description,
      metadata: { due_id: dueId, policy_id: plan.policyId, attempt_id: plan.attemptId, channel: plan.channel },
    });
  } catch (err) {
    await settleError(deps, plan, interactionId, err);
    throw err;
  }

  const outbox: OutboxRow[] = [];
  const out = await withTransaction(deps.db, async (client): Promise<ChargeDueResult> => {
    const due = await lockDue(client, dueId, { attemptId: plan.attemptId, paymentId: result.paymentId });
    if (!due) throw new AppError('PAY_DUE_NOT_FOUND', `no premium due ${dueId}`);
    const ctx = settleContext(client, deps.clock.now(), due, interactionId, { receiptFallbackMs: deps.config.receiptFallbackMs });
    if (result.status === 'succeeded') {
      const s = await recordPaymentSucceeded(ctx, due, {
        attemptId: plan.attemptId, paymentId: result.paymentId, amountCents: result.amountCents, currency: result.currency,
        channel: plan.channel, source: 'api',
      });
      outbox.push(...s.outbox);
      return { outcome: 'succeeded', attemptId: plan.attemptId, paymentId: result.paymentId, duplicate: s.duplicate };
    }
    if (result.status === 'processing') {
      await client.query('update payment_attempts set provider_payment_id = coalesce(provider_payment_id, $2), claimed_until = null where id = $1',
        [plan.attemptId, result.paymentId]);
      return { outcome: 'processing', attemptId: plan.attemptId, paymentId: result.paymentId };
    }
    const f = await recordPaymentFailed(ctx, due, {
      attemptId: plan.attemptId, paymentId: result.paymentId, failure: result.failure, channel: plan.channel, offSession: !isCustomerPresent(plan.channel), source: 'api',
      ...(deps.config.decline ? { classify: deps.config.decline } : {}),
    });
    outbox.push(...f.outbox);
    return { outcome: 'failed', attemptId: plan.attemptId, paymentId: result.paymentId, declineClass: f.verdict.class, reason: f.verdict.reason };
  });
  if (outbox.length) deps.dispatch?.(outbox);
  return out;
};

/**
 * Stripe unreachable: the outcome is unknown, so the attempt stays pending
 * and its lease is released for a retry with the same key. Stripe refusing
 * the request as invalid is final for this attempt: it is marked failed.
 */
const settleError = async (deps: PaymentsDeps, plan: Plan, interactionId: string, err: unknown): Promise<void> => {
  const code = err instanceof AppError ? err.code : 'UNKNOWN';
  const message = err instanceof Error ? err.message : String(err);
  await withTransaction(deps.db, async (client) => {
    const now = deps.clock.now();
    // why: lock order is always due → attempt → interaction, as in every other payments transaction.
    await lockDue(client, plan.dueId);
    if (code === 'PAY_PROVIDER_UNAVAILABLE' || code === 'UNKNOWN') {
      await client.query(`update payment_attempts set claimed_until = null, updated_at = $2 where id = $1 and status = 'pending'`, [plan.attemptId, now]);
      await appendEvidenceInTx(client, interactionId, [{
        type: PaymentEvidence.UNCERTAIN, payload: { attemptId: plan.attemptId, idempotencyKey: plan.key, error: message },
      }], now);
      return;
    }
    await client.query(
      `update payment_attempts set status = 'failed', claimed_until = null, failure_reason = $2, updated_at = $3 where id = $1 and status = 'pending'`,
      [plan.attemptId, `Our request was refused by Stripe (${code}); no money moved. Technical staff must look at it.`, now],
    );
    await appendEvidenceInTx(client, interactionId, [{
      type: PaymentEvidence.FAILED, payload: { attemptId: plan.attemptId, source: 'api', error: code, message },
    }], now);
  });
};
