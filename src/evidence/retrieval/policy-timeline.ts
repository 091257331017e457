import type { Db } from '../../db/pool.js';
import { AppError } from '../../shared/app-error.js';
import { eventParts } from '../turn-event.js';

/** What a timeline entry is about, for the compliance reader. */
export type TimelineKind = 'call' | 'message' | 'payment' | 'state' | 'consent' | 'access' | 'other';

export type TimelineEntry = {
  eventId: string; interactionId: string; interactionKind: string; seq: number;
  /** The part's index within a `flow.turn` event (which is one row and one leaf), or null for a whole event. */
  part: number | null; type: string; kind: TimelineKind;
  /** Our clock (UTC) and the provider's, when it sent one. */
  receivedAt: string; providerTime: string | null; providerRef: string | null; leafIndex: number | null; payload: unknown;
};

export const classify = (type: string, interactionKind: string): TimelineKind => {
  if (type.startsWith('payment.') || type.startsWith('pay.')) return 'payment';
  if (type === 'flow.transition') return 'state';
  if (type === 'consent.changed') return 'consent';
  if (type.startsWith('evidence.')) return 'access';
  if (type.startsWith('ivr.') || type === 'call.status' || interactionKind === 'call') return 'call';
  if (type.startsWith('sms.') || interactionKind === 'sms-thread') return 'message';
  return 'other';
};

type OtherPolicies = { ids: Set<unknown>; numbers: Set<unknown>; dues: Set<unknown> };

/** The holder's other policies and their dues: what an event of a holder-level call may be about instead. */
const otherPoliciesOf = async (db: Db, policyId: string, holderId: string): Promise<OtherPolicies> => {
  const { rows } = await db.query<{ id: string; policy_number: string; dues: string[] }>(
    `select p.id, p.policy_number, coalesce(array(select d.id::text from premium_dues d where d.policy_id = p.id), '{}') as dues
       from policies p where p.policyholder_id = $1 and p.id <> $2`,
    [holderId, policyId],
  );
  return { ids: new Set(rows.map((r) => r.id)), numbers: new Set(rows.map((r) => r.policy_number)), dues: new Set(rows.flatMap((r) => r.dues)) };
};

/** Whether a part names another policy (by id, number or one of its dues) at its top level. */
const aboutOther = (payload: unknown, o: OtherPolicies): boolean => {
  if (!payload || typeof payload !== 'object') return false;
  const p = payload as Record<string, unknown>;
  return o.ids.has(p.policyId) || o.numbers.has(p.policyNumber) || o.dues.has(p.dueId);
};

/**
 * A policy's timeline across channels in a window: every event of its
 * interactions (calls: what was said and pressed; messages; payments with
 * provider ids; state and consent changes; reads of the evidence), oldest
 * first, with both clocks and the leaf index once sequenced. A call or thread
 * of the holder that no single policy was identified for shows, but not its
 * parts about the holder's other policies (a cancellation of another policy). Payment attempts
 * come from the payment records too, with the provider's payment id.
 */
export const policyTimeline = async (db: Db, q: { policyNumber: string; from: Date; to: Date }) => {
  const policy = (await db.query<{ id: string; policyholder_id: string }>('select id, policyholder_id from policies where policy_number = $1', [q.policyNumber])).rows[0];
  if (!policy) throw new AppError('EVD_NOT_FOUND', `no policy ${q.policyNumber}`);
  const other = await otherPoliciesOf(db, policy.id, policy.policyholder_id);
  const { rows } = await db.query(
    `select e.id, e.interaction_id, i.kind, i.policy_id is null as holder_level, e.seq, e.type, e.received_at, e.provider_time, e.provider_ref, e.payload,
            l.leaf_index::float8 as leaf_index
       from interactions i
       join evidence_events e on e.interaction_id = i.id
       left join evidence_log_leaves l on l.event_id = e.id
      where (i.policy_id = $1 or (i.policy_id is null and i.policyholder_id = $2))
        and e.received_at between $3 and $4
      order by e.received_at, e.interaction_id, e.seq limit 10000`,
    [policy.id, policy.policyholder_id, q.from, q.to],
  );
  const entries: TimelineEntry[] = rows.flatMap((r) =>
    eventParts({
      eventId: r.id as string, interactionId: r.interaction_id as string, interactionKind: r.kind as string, seq: r.seq as number,
      type: r.type as string, receivedAt: (r.received_at as Date).toISOString(),
      providerTime: r.provider_time ? (r.provider_time as Date).toISOString() : null,
      providerRef: r.provider_ref as string | null, leafIndex: r.leaf_index as number | null, payload: r.payload as unknown,
    })
      .filter((p) => !(r.holder_level && aboutOther(p.payload, other)))
      .map((p) => ({ ...p, kind: classify(p.type, p.interactionKind) })),
  );
  const { rows: payments } = await db.query(
    `select a.id, a.attempt_no, a.channel, a.provider, a.provider_payment_id, a.status, a.amount_cents, a.currency, a.decline_code,
            a.decline_class, a.created_at, d.due_date
       from payment_attempts a join premium_dues d on d.id = a.due_id
      where d.policy_id = $1 and a.created_at between $2 and $3 order by a.created_at`,
    [policy.id, q.from, q.to],
  );
  return { policyId: policy.id, entries, paymentAttempts: payments };
};
