import type { DbClient } from '../db/pool.js';
import { ensurePaymentInteraction } from './payment-evidence.js';
import { interactionHeadJoin } from '../evidence/interactions.js';
import { joinPolicySql } from '../policies/policy-join-sql.js';

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

export type AttemptRow = { id: string; status: string; provider_payment_id: string | null };

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
       from d ${joinPolicySql('p', 'd.policy_id')}
       ${interactionHeadJoin('i', { kind: 'payment', refExpr: "'due:' || d.id" }, { lock: true })}
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
  due.payment_interaction_id ?? ensurePaymentInteraction(client, due, now);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
export const attemptOf = async (
  client: DbClient, due: LockedDue, attemptId: string | null | undefined, paymentId: string | null,
): Promise<AttemptRow | null> => {
  const hint = due.attempt;
  // why: used once; whoever reads the attempt next in this transaction may come after a write to it.
  delete due.attempt;
  if (hint?.row && (hint.lookup.attemptId ?? null) === (attemptId ?? null) && (hint.lookup.paymentId ?? null) === paymentId) return hint.row;
  const { rows } = await client.query<AttemptRow>(ATTEMPT_SQL('$1', '$2', '$3'), [due.id, validAttemptId(attemptId), paymentId]);
  return rows[0] ?? null;
};
