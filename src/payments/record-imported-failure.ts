import { withTransaction, type Db } from '../db/pool.js';
import type { OutboxRow } from '../jobs/outbox-rows.js';
import { joinPolicyByNumberSql } from '../policies/policy-join-sql.js';
import { newId } from '../shared/ids.js';
import { declineCodeOfBankReturn } from './bank-return-decline.js';
import type { DeclineClass } from './classify-decline.js';
import { lockDue, paymentInteractionOf } from './lock-due.js';
import { recordPaymentFailed } from './record-payment-failure.js';
import { settleContext } from './settle-context.js';
// why: recordPaymentFailed's recovery.start row is checked against its definition, registered when this module loads (the CLI loads no job catalog).
import './payment-jobs.js';

/** A failed debit as the insurer's billing reports it (a failed-debit file row or an API row). */
export type ImportedFailure = {
  /** The insurer's reference of this failure: one attempt per reference, ever. */
  debitRef: string;
  policyNumber: string;
  dueDate: string;
  amountCents: number;
  currency: string;
  failedAt: Date;
  method: 'card' | 'bank';
  /** A card decline code as Stripe spells them (`insufficient_funds`, `lost_card`...). */
  declineCode: string | null;
  /** A bank (NACHA) return code, `R01`... */
  returnCode: string | null;
  /** The insurer's own words for the failure. */
  reason: string | null;
};

/**
 * What recording one failure did: `accepted` (a failed attempt recorded, and
 * `recovery.start` queued in `outbox` unless the due's recovery is already
 * under way), `duplicate` (this reference was recorded before: nothing
 * written) or `rejected` with the reason.
 */
export type ImportedFailureOutcome =
  | { status: 'accepted'; dueId: string; attemptId: string; declineClass: DeclineClass; recoveryStarted: boolean; outbox: OutboxRow[] }
  | { status: 'duplicate'; dueId: string; attemptId: string }
  | { status: 'rejected'; reason: string };

/** The channel and provider of an imported attempt: the insurer's billing, not Stripe. */
export const IMPORT_CHANNEL = 'import';

const money = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency.toUpperCase()}`;

/**
 * Records a failed debit the insurer's billing reports, in one transaction:
 * finds the due by policy number and due date (refused when there is none or
 * it is paid, waived or void), inserts a failed attempt on channel `import`
 * keyed by the insurer's reference (so a re-run adds nothing), classifies it
 * with classifyDecline (a bank return code through its Stripe equivalent),
 * appends `payment.failed` on the due's payment chain and queues
 * `recovery.start` through the outbox, at most once per due while it is open.
 * The caller dispatches the returned outbox rows after commit (or leaves them to the relay).
 */
export const recordImportedFailure = async (deps: { db: Db; now: Date }, f: ImportedFailure): Promise<ImportedFailureOutcome> =>
  withTransaction(deps.db, async (client) => {
    const { now } = deps;
    // why: a re-run is mostly duplicates; the reference is looked up with the due, before any lock.
    const { rows: [found] } = await client.query<{ due_id: string | null; earlier_id: string | null; earlier_due_id: string | null }>(
      `select d.id as due_id, a.id as earlier_id, a.due_id as earlier_due_id
         from (select $1::text as n) q ${joinPolicyByNumberSql('p', 'q.n')}
         left join premium_dues d on d.policy_id = p.id and d.due_date = $2::date
         left join payment_attempts a on a.provider = $3 and a.provider_payment_id = $4`,
      [f.policyNumber, f.dueDate, IMPORT_CHANNEL, f.debitRef],
    );
    if (!found) return { status: 'rejected', reason: `policy_number: no policy ${f.policyNumber}` };
    if (found.earlier_id) {
      return found.earlier_due_id === found.due_id
        ? { status: 'duplicate', dueId: found.due_id!, attemptId: found.earlier_id }
        : { status: 'rejected', reason: `debit_ref: ${f.debitRef} was already recorded for another due` };
    }
    if (!found.due_id) return { status: 'rejected', reason: `due_date: policy ${f.policyNumber} has no premium due on ${f.dueDate}` };
    const due = await lockDue(client, found.due_id);
    if (!due) return { status: 'rejected', reason: `due_date: policy ${f.policyNumber} has no premium due on ${f.dueDate}` };
    if (due.status === 'paid' || due.status === 'waived' || due.status === 'void') {
      return { status: 'rejected', reason: `due_date: the due of ${f.dueDate} on policy ${f.policyNumber} is ${due.status}` };
    }
    if (f.currency !== due.currency) {
      return { status: 'rejected', reason: `currency: the debit is in ${f.currency.toUpperCase()}, the due in ${due.currency.toUpperCase()}` };
    }
    // why: the due stays open until recovery.start's handler marks it failed; an earlier imported failure
    // of this still-open due has queued that job already, and a second would start a second recovery.
    const { rows: [queued] } = await client.query(
      `select 1 from payment_attempts where due_id = $1 and channel = $2 and status = 'failed' limit 1`, [due.id, IMPORT_CHANNEL]);
    const attemptId = newId();
    // why: on conflict (the same reference recorded by a concurrent import since the lookup above) nothing is written.
    const inserted = await client.query(
      `insert into payment_attempts (id, due_id, attempt_no, channel, idempotency_key, provider, provider_payment_id, status, amount_cents, currency, created_at, updated_at)
       select $1, $2, coalesce(max(attempt_no), 0) + 1, $3, $4, $3, $5, 'pending', $6, $7, $8, $9 from payment_attempts where due_id = $2
       on conflict do nothing`,
      [attemptId, due.id, IMPORT_CHANNEL, `${IMPORT_CHANNEL}:${f.debitRef}`, f.debitRef, f.amountCents, f.currency, f.failedAt, now],
    );
    if (inserted.rowCount === 0) {
      const { rows: [winner] } = await client.query<{ id: string; due_id: string }>(
        'select id, due_id from payment_attempts where provider = $1 and provider_payment_id = $2', [IMPORT_CHANNEL, f.debitRef]);
      return winner?.due_id === due.id
        ? { status: 'duplicate', dueId: due.id, attemptId: winner.id }
        : { status: 'rejected', reason: `debit_ref: ${f.debitRef} was already recorded for another due` };
    }
    const bankAsDecline = f.returnCode ? declineCodeOfBankReturn(f.returnCode) : null;
    const ctx = settleContext(client, now, due, await paymentInteractionOf(client, due, now));
    const failed = await recordPaymentFailed(ctx, due, {
      attemptId,
      paymentId: null,
      failure: {
        code: f.returnCode, declineCode: f.declineCode ?? bankAsDecline, networkDeclineCode: null, adviceCode: null, networkAdviceCode: null,
        message: f.reason ?? '',
      },
      channel: IMPORT_CHANNEL,
      // why: offSession is what lets recordPaymentFailed queue recovery.start; a due with one already queued gets none.
      offSession: !queued,
      source: 'import',
      details: {
        debitRef: f.debitRef, method: f.method, returnCode: f.returnCode, insurerReason: f.reason, failedAt: f.failedAt.toISOString(),
        amount: money(f.amountCents, f.currency),
        ...(f.amountCents !== due.amount_cents ? { dueAmount: money(due.amount_cents, due.currency) } : {}),
      },
    });
    return {
      status: 'accepted', dueId: due.id, attemptId, declineClass: failed.verdict.class, recoveryStarted: failed.outbox.length > 0, outbox: failed.outbox,
    };
  });
