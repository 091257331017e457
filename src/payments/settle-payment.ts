import type { DbClient } from '../db/pool.js';
import type { EvidenceDraft } from '../evidence/evidence-event.js';
import { insertOutboxSql, outboxParams, type OutboxRow } from '../jobs/outbox-rows.js';
import { newId } from '../shared/ids.js';
import { classifyDecline, type ClassifyOptions, type DeclineVerdict } from './classify-decline.js';
import { appendEvidenceInTx, appendOnLockedHead, ensurePaymentInteraction, PaymentEvidence, type LockedHead } from './payment-evidence.js';
import type { PaymentFailure } from './payment-gateway.js';

/** Outbox topics payments write. */
/**
 * Channels where the customer is there when the charge is made (on the phone,
 * on a pay link, with a specialist). Their declines are answered in the
 * moment; only charges made without them (scheduled debits, retries) start
 * failed-debit recovery.
 */
const CUSTOMER_PRESENT = new Set(['ivr', 'sms-link', 'sms', 'console']);
export const isCustomerPresent = (channel: string): boolean => CUSTOMER_PRESENT.has(channel);

export const PaymentTopics = {
  /** `{ dueId, declineClass, attemptId }`: an off-session payment failed; start failed-debit recovery. */
  RECOVERY_START: 'recovery.start',
  /** `{ attemptId }`: a second payment for a paid due; give it back. */
  REFUND_DUPLICATE: 'payments.refund-duplicate',
  /** `{ payLinkId }`: the due is paid; close its other pay links at Stripe. */
  EXPIRE_PAY_LINK: 'payments.expire-pay-link',
  /** `{ sinceHours }`: compare Stripe's recent payments with ours. */
  RECONCILE: 'payments.reconcile',
} as const;

/** A premium due locked for writing, with what settling it needs from its policy. */
export type LockedDue = {
  id: string;
  policy_id: string;
  policyholder_id: string;
  policy_number: string;
  due_date: string;
  amount_cents: number;
  currency: string;
  status: 'open' | 'paid' | 'failed' | 'waived' | 'void';
  billing_frequency: 'monthly' | 'quarterly' | 'semiannual' | 'annual';
  /** The due's payment interaction (its evidence chain), once one exists. */
  payment_interaction_id: string | null;
  /** That interaction's chain head, read and locked with the due (null before the interaction exists). */
  payment_seq: number | null;
  payment_hash: string | null;
  /** The attempt lockDue was asked to find, locked, when it found it. */
  attempt?: { lookup: AttemptLookup; row: AttemptRow | null };
};

/** Which attempt a settling transaction is about: by our id (Stripe metadata) or by Stripe's payment id. */
export type AttemptLookup = { attemptId?: string | null; paymentId?: string | null };

type AttemptRow = { id: string; status: string; provider_payment_id: string | null };

/**
 * Locks a due row (`for no key update`: writers queue, while inserts that only reference the due,
 * checked by foreign key, do not wait): every writer of a due's payments goes through this.
 * With `find`, the attempt it names is locked and read in the same statement (see attemptOf).
 */
export const lockDue = async (client: DbClient, dueId: string, find?: AttemptLookup): Promise<LockedDue | null> => {
  const { rows } = await client.query<LockedDue & { attempt_id: string | null; attempt_status: string | null; attempt_payment_id: string | null }>(
    // why: the due is locked (in the CTE) before its payment interaction and attempt (in the laterals,
    // run per due row), the order every payments transaction takes; locking them at the top of one query
    // could take the interaction first and deadlock with a transaction holding the due.
    `with d as materialized (select * from premium_dues where id = $1 for no key update)
     select d.id, d.policy_id, p.policyholder_id, p.policy_number, d.due_date, d.amount_cents, d.currency, d.status, p.billing_frequency,
            i.id as payment_interaction_id, i.evidence_seq as payment_seq, i.evidence_head as payment_hash
            ${find ? ', a.id as attempt_id, a.status as attempt_status, a.provider_payment_id as attempt_payment_id' : ''}
       from d join policies p on p.id = d.policy_id
       left join lateral (select i.id, i.evidence_seq, i.evidence_head from interactions i
                           where i.kind = 'payment' and i.provider_ref = 'due:' || d.id for no key update) i on true
       ${find ? `left join lateral (${ATTEMPT_SQL('d.id', '$2', '$3')} for no key update) a on true` : ''}`,
    find ? [dueId, validAttemptId(find.attemptId), find.paymentId ?? null] : [dueId],
  );
  const row = rows[0];
  if (!row) return null;
  const { attempt_id, attempt_status, attempt_payment_id, ...due } = row;
  if (find) {
    due.attempt = { lookup: find, row: attempt_id ? { id: attempt_id, status: attempt_status!, provider_payment_id: attempt_payment_id } : null };
  }
  return due;
};

/**
 * The due's payment interaction, created on first use. Read with the due's
 * lock, so after the first payment event it costs no statement of its own.
 */
export const paymentInteractionOf = async (client: DbClient, due: LockedDue, now: Date): Promise<string> =>
  due.payment_interaction_id ?? ensurePaymentInteraction(client, due.id, now);

const PERIOD: Record<LockedDue['billing_frequency'], string> = {
  monthly: '1 month', quarterly: '3 months', semiannual: '6 months', annual: '1 year',
};
export const periodOf = (f: LockedDue['billing_frequency']): string => PERIOD[f];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type SettleContext = {
  client: DbClient;
  now: Date;
  interactionId: string;
  /** The chain head of `interactionId` when this transaction holds it locked (see settleContext); moved by appendInContext. */
  head?: LockedHead | null;
  /**
   * Set by a caller that writes the settlement's evidence and outbox rows itself, in its own last
   * statement (flushSettlement): appendInContext and writeOutbox then collect instead of writing.
   */
  deferred?: { drafts: EvidenceDraft[]; outbox: OutboxRow[] };
};

/** A context for settling a locked due on its payment chain, starting from the head lockDue read, when it is that chain's. */
export const settleContext = (client: DbClient, now: Date, due: LockedDue, interactionId: string, opts: { defer?: boolean } = {}): SettleContext => ({
  client, now, interactionId,
  head: due.payment_interaction_id === interactionId && due.payment_seq !== null && due.payment_hash !== null
    ? { interactionId, seq: due.payment_seq, hash: due.payment_hash }
    : null,
  ...(opts.defer ? { deferred: { drafts: [], outbox: [] } } : {}),
});

/**
 * Appends to the context's chain: on the locked head when the context holds it (no statement to
 * read it), else reading it under a lock. Every append of a settling transaction goes through here,
 * so the held head never goes stale (a stale one would fail on the chain's unique sequence).
 */
export const appendInContext = async (ctx: SettleContext, drafts: readonly EvidenceDraft[], also?: { with: string; values: unknown[] }): Promise<void> => {
  if (drafts.length === 0 && !also) return;
  if (ctx.deferred && !also) {
    ctx.deferred.drafts.push(...drafts);
    return;
  }
  if (ctx.head && ctx.head.interactionId === ctx.interactionId) {
    ctx.head = await appendOnLockedHead(ctx.client, ctx.head, drafts, ctx.now, also);
    return;
  }
  ctx.head = await appendEvidenceInTx(ctx.client, ctx.interactionId, drafts, ctx.now, also);
};

/** Writes outbox rows in the transaction; the caller dispatches them after commit. */
export const writeOutbox = async (ctx: SettleContext, rows: OutboxRow[]): Promise<void> => {
  if (rows.length === 0) return;
  if (ctx.deferred) {
    ctx.deferred.outbox.push(...rows);
    return;
  }
  await ctx.client.query(insertOutboxSql(1, 7), [...outboxParams(rows, ctx.interactionId), ctx.now]);
};

/**
 * Writes what a deferring context collected (its evidence, then its outbox rows) and the caller's
 * own last write (`also`: data-modifying CTEs, parameters from $15 on), all in one statement.
 */
export const flushSettlement = async (ctx: SettleContext, also: { with: string; values: unknown[] }): Promise<void> => {
  const collected = ctx.deferred ?? { drafts: [], outbox: [] };
  delete ctx.deferred;
  let extra = also;
  if (collected.outbox.length > 0) {
    const p = 15 + also.values.length;
    extra = {
      with: `${also.with}, ob as (${insertOutboxSql(p, p + 6)})`,
      values: [...also.values, ...outboxParams(collected.outbox, ctx.interactionId), ctx.now],
    };
  }
  await appendInContext(ctx, collected.drafts, extra);
};

/** The attempt of a due named by our id or Stripe's payment id, our id first. */
const ATTEMPT_SQL = (due: string, attemptId: string, paymentId: string): string =>
  `select id, status, provider_payment_id from payment_attempts
    where due_id = ${due} and (id = ${attemptId}::uuid or (provider = 'stripe' and provider_payment_id = ${paymentId}))
    order by (id = ${attemptId}::uuid) desc limit 1`;

const validAttemptId = (id: string | null | undefined): string | null => (id && UUID.test(id) ? id : null);

/**
 * The attempt a settlement is about. lockDue read it already when asked for the same one and found
 * it (locked, so the newest version). Not finding it there proves nothing: that statement reads with
 * the snapshot it started with, before it waited for the due, and an attempt inserted by the
 * transaction it waited for is not in it. So a miss is looked up again, now.
 */
const attemptOf = async (client: DbClient, due: LockedDue, attemptId: string | null | undefined, paymentId: string | null) => {
  const hint = due.attempt;
  // why: used once; whoever reads the attempt next in this transaction may come after a write to it.
  delete due.attempt;
  if (hint?.row && (hint.lookup.attemptId ?? null) === (attemptId ?? null) && (hint.lookup.paymentId ?? null) === paymentId) return hint.row;
  const { rows } = await client.query<AttemptRow>(ATTEMPT_SQL('$1', '$2', '$3'), [due.id, validAttemptId(attemptId), paymentId]);
  return rows[0] ?? null;
};

/** Marks attempt $p succeeded with payment $p+1, at time $at. */
const markSucceededSql = (p: number, at: number): string =>
  `update payment_attempts set status = 'succeeded', provider_payment_id = coalesce(provider_payment_id, $${p + 1}), claimed_until = null,
          decline_code = null, decline_class = null, failure_reason = null, updated_at = $${at} where id = $${p}`;

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
 * cancels outbox work waiting on the due and closes its other pay links.
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
       pol as (
         update policies set
           paid_to_date = greatest(coalesce(paid_to_date, $2::date), ($2::date + $3::interval)::date),
           next_due_date = case when next_due_date is null or next_due_date <= $2::date then ($2::date + $3::interval)::date else next_due_date end,
           status = case when status = 'grace' then 'active' else status end,
           updated_at = $4
         where id = $1 returning paid_to_date, next_due_date, status),
       c as (update outbox set cancelled_at = $4 where correlation = $6 and completed_at is null and cancelled_at is null returning 1),
       l as (update pay_links set status = 'superseded' where due_id = $5 and status in ('open', 'creating') and id is distinct from $7::uuid
             returning id),
       a as (${markSucceededSql(8, 4)})
       select pol.paid_to_date, pol.next_due_date, pol.status, (select count(*)::int from c) as cancelled, array(select id from l) as links
         from (select 1) one left join pol on true`,
      [due.policy_id, due.due_date, periodOf(due.billing_frequency), now, due.id, `due:${due.id}`, p.payLinkId ?? null, markAttempt, p.paymentId],
    );
    const row = paid.rows[0]!;
    for (const id of row.links) {
      outbox.push({ id: newId(), topic: PaymentTopics.EXPIRE_PAY_LINK, payload: { payLinkId: id }, runAt: now, correlation: null });
    }
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

export type FailedInput = {
  attemptId?: string | null;
  paymentId: string | null;
  failure: PaymentFailure;
  channel: string;
  /** Off-session failures (a saved card we charged) start recovery; a customer on a checkout page just tries again. */
  offSession: boolean;
  source: 'api' | 'webhook' | 'reconcile';
  classify?: ClassifyOptions;
};

/**
 * Records a decline for a locked due; idempotent and order-proof: only a
 * pending attempt becomes failed (a success is never undone), and only that
 * transition of an off-session attempt on an open due writes `recovery.start`.
 */
export const recordPaymentFailed = async (
  ctx: SettleContext,
  due: LockedDue,
  p: FailedInput,
): Promise<{ outbox: OutboxRow[]; transitioned: boolean; verdict: DeclineVerdict; attemptId: string | null }> => {
  const { client, now } = ctx;
  const verdict = classifyDecline(p.failure, p.classify);
  const attempt = await attemptOf(client, due, p.attemptId, p.paymentId);
  const f = p.failure;
  let transitioned = false;
  if (attempt && (attempt.status === 'pending' || attempt.status === 'requires_action')) {
    await client.query(
      `update payment_attempts set status = 'failed', provider_payment_id = coalesce(provider_payment_id, $2), claimed_until = null,
              decline_code = $3, decline_class = $4, failure_reason = $5, advice_code = $6, network_decline_code = $7,
              network_advice_code = $8, updated_at = $9 where id = $1`,
      [attempt.id, p.paymentId, f.declineCode ?? f.code, verdict.class, verdict.reason, f.adviceCode, f.networkDeclineCode, f.networkAdviceCode, now],
    );
    transitioned = true;
  }
  const outbox: OutboxRow[] = [];
  if (!transitioned && attempt) return { outbox, transitioned, verdict, attemptId: attempt.id };
  if (transitioned && p.offSession && due.status === 'open') {
    outbox.push({
      id: newId(), topic: PaymentTopics.RECOVERY_START, runAt: now, correlation: `due:${due.id}`,
      payload: { dueId: due.id, declineClass: verdict.class, attemptId: attempt!.id },
    });
  }
  await appendInContext(ctx, [{
    type: PaymentEvidence.FAILED,
    providerRef: p.paymentId,
    payload: {
      attemptId: attempt?.id ?? null, paymentId: p.paymentId, channel: p.channel, source: p.source, code: f.code, declineCode: f.declineCode,
      networkDeclineCode: f.networkDeclineCode, adviceCode: f.adviceCode, networkAdviceCode: f.networkAdviceCode,
      declineClass: verdict.class, reason: verdict.reason, basis: verdict.basis, recoveryStarted: outbox.length > 0,
    },
  }]);
  await writeOutbox(ctx, outbox);
  return { outbox, transitioned, verdict, attemptId: attempt?.id ?? null };
};
