import type { EvidenceDraft } from '../evidence/evidence-event.js';
import { cancelJobsSql, outboxRow, type OutboxRow } from '../jobs/outbox-rows.js';
import { recoveryWakeJob } from '../jobs/contracts/recovery-wake.job.js';
import { newId } from '../shared/ids.js';
import { periodOf } from './billing-period.js';
import { attemptOf, type AttemptRow, type LockedDue } from './lock-due.js';
import { PaymentEvidence } from './payment-evidence.js';
import { PaymentTopics } from './payment-topics.js';
import { fallbackReceiptCorrelation } from '../jobs/contracts/payment-receipt.job.js';
import { appendInContext, writeOutbox, type SettleContext } from './settle-context.js';
import { advancePaidToSql } from '../policies/advance-paid-to-sql.js';

/** Marks attempt $p succeeded with payment $p+1, at time $at. */
const markSucceededSql = (p: number, at: number): string =>
  `update payment_attempts set status = 'succeeded', provider_payment_id = coalesce(provider_payment_id, $${p + 1}), claimed_until = null,
          decline_code = null, decline_class = null, failure_reason = null, updated_at = $${at} where id = $${p}`;

/** Charges made while the customer waits (a call, a text conversation): their job texts the receipt itself. */
const CHARGES_WITH_OWN_RECEIPT: ReadonlySet<string> = new Set(['ivr', 'sms']);
/** How long a settled charge's own receipt has before the fallback sends it instead (PAYMENTS_RECEIPT_FALLBACK_MS). */
const FALLBACK_RECEIPT_AFTER_MS = 60_000;

export type SucceededInput = {
  attemptId?: string | null;
  paymentId: string;
  amountCents: number;
  currency: string;
  channel: string;
  payLinkId?: string | null;
  source: 'api' | 'webhook' | 'reconcile';
};

export type Settlement = { outbox: OutboxRow[]; changed: boolean; duePaidNow: boolean; duplicate: boolean; attemptId: string };

/**
 * Records that Stripe took money for a locked due; idempotent and order-proof.
 * The attempt becomes succeeded (created from the webhook if the API answer
 * was lost); the first success marks the due paid, moves the policy's paid-to
 * and next-due dates one billing period past the due date (grace → active),
 * cancels outbox work waiting on the due and closes its other pay links, and
 * queues the payment's receipt (at once for a pay link; for a charge made while
 * the customer waits, a minute later as a fallback to the charge job's own).
 * A success for a due another payment already paid is a duplicate: flagged
 * and refunded through the outbox. Never moves anything backwards.
 */
export const recordPaymentSucceeded = async (ctx: SettleContext, due: LockedDue, p: SucceededInput): Promise<Settlement> => {
  const { client, now } = ctx;
  const outbox: OutboxRow[] = [];
  let attempt = await attemptOf(client, due, p.attemptId, p.paymentId);
  let changed = false;
  let markAttempt: string | null = null;
  if (!attempt) {
    const ins = await client.query<AttemptRow>(
      `insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, provider_payment_id, status, amount_cents, currency, created_at, updated_at)
       select $1, $2, coalesce(max(attempt_no), 0) + 1, $3, $4, $5, 'succeeded', $6, $7, $8, $8 from payment_attempts where due_id = $2
       returning id, status, provider_payment_id`,
      [newId(), due.id, p.channel, `pi:${p.paymentId}`, p.paymentId, p.amountCents, p.currency, now],
    );
    attempt = ins.rows[0]!;
    changed = true;
  } else if (attempt.status !== 'succeeded') {
    changed = true;
    // why: on a due still open this update goes in the due-paid statement below, one round trip fewer.
    if (due.status === 'paid') await client.query(markSucceededSql(1, 3), [attempt.id, p.paymentId, now]);
    else markAttempt = attempt.id;
  }
  if (p.payLinkId) {
    await client.query(`update pay_links set status = 'paid', paid_at = $2 where id = $1 and status <> 'paid'`, [p.payLinkId, now]);
  }
  if (!changed) return { outbox, changed, duePaidNow: false, duplicate: false, attemptId: attempt.id };

  const evidence: EvidenceDraft[] = [{
    type: PaymentEvidence.SUCCEEDED,
    providerRef: p.paymentId,
    payload: { attemptId: attempt.id, paymentId: p.paymentId, amountCents: p.amountCents, currency: p.currency, channel: p.channel, source: p.source },
  }];
  let duePaidNow = false;
  let duplicate = false;
  if (due.status !== 'paid') {
    duePaidNow = true;
    // One statement: the due paid, the policy's dates moved one period past the due date (grace →
    // active), work waiting on the due cancelled, its other pay links superseded.
    const paid = await client.query<{ paid_to_date: string; next_due_date: string; status: string; cancelled: number; links: string[] }>(
      `with d as (update premium_dues set status = 'paid', paid_at = $4 where id = $5),
       pol as (${advancePaidToSql(1)}),
       c as (${cancelJobsSql(6, 4)}),
       l as (update pay_links set status = 'superseded' where due_id = $5 and status in ('open', 'creating') and id is distinct from $7::uuid
             returning id),
       a as (${markSucceededSql(8, 4)})
       select pol.paid_to_date, pol.next_due_date, pol.status, (select count(*)::int from c) as cancelled, array(select id from l) as links
         from (select 1) one left join pol on true`,
      [due.policy_id, due.due_date, periodOf(due.billing_frequency), now, due.id, `due:${due.id}`, p.payLinkId ?? null, markAttempt, p.paymentId],
    );
    const row = paid.rows[0]!;
    // why: the payment's receipt is owed however it settled (a charge whose job gave up in an outage, a pay link):
    // a customer-present charge sends its own (on the number in use) and this one stands down; a pay link's goes now.
    const present = CHARGES_WITH_OWN_RECEIPT.has(p.channel);
    outbox.push({
      id: newId(), topic: PaymentTopics.RECEIPT, payload: { dueId: due.id, attemptId: attempt.id, interactionId: null, fallback: present },
      runAt: present ? new Date(now.getTime() + (ctx.receiptFallbackMs ?? FALLBACK_RECEIPT_AFTER_MS)) : now, correlation: fallbackReceiptCorrelation(attempt.id),
    });
    for (const id of row.links) {
      outbox.push({ id: newId(), topic: PaymentTopics.EXPIRE_PAY_LINK, payload: { payLinkId: id }, runAt: now, correlation: null });
    }
    // why: a due in failed-debit recovery (its charge failed): its flow stops now, or reinstates a lapsed policy; its own queued steps were cancelled above.
    if (due.status === 'failed') outbox.push(outboxRow(recoveryWakeJob, { dueId: due.id }, { runAt: now, correlation: `recovery-paid:${due.id}` }));
    const policy = row.paid_to_date === null ? undefined : row;
    evidence.push({
      type: PaymentEvidence.DUE_PAID,
      providerRef: p.paymentId,
      payload: { attemptId: attempt.id, dueId: due.id, paidToDate: policy?.paid_to_date, nextDueDate: policy?.next_due_date,
        policyStatus: policy?.status, cancelledOutbox: row.cancelled }
    });
  } else {
    const first = await client.query<{ id: string }>(
      `select id from payment_attempts where due_id = $1 and status = 'succeeded' and id <> $2 and duplicate_of is null order by created_at limit 1`,
      [due.id, attempt.id],
    );
    const original = first.rows[0];
    if (original) {
      duplicate = true;
      await client.query('update payment_attempts set duplicate_of = $2 where id = $1', [attempt.id, original.id]);
      outbox.push({ id: newId(), topic: PaymentTopics.REFUND_DUPLICATE, payload: { attemptId: attempt.id }, runAt: now, correlation: null });
      evidence.push({
        type: PaymentEvidence.DUPLICATE,
        providerRef: p.paymentId,
        payload: { attemptId: attempt.id, duplicateOf: original.id, action: 'refund queued' }
      });
    }
  }
  await appendInContext(ctx, evidence);
  await writeOutbox(ctx, outbox);
  return { outbox, changed, duePaidNow, duplicate, attemptId: attempt.id };
};
