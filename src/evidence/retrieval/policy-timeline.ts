import type { Db } from '../../db/pool.js';
import { findPolicies } from '../../policies/find-policies.js';
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

/**
 * Port: what payments records of policies (implemented by payments, wired in src/runtime), so
 * evidence reads payments' tables without importing payments.
 */
export type PolicyPaymentRecords = {
  /** The ids of these policies' premium dues. */
  dueIdsOf: (policyIds: string[]) => Promise<string[]>;
  /** The policy's payment attempts created in the window, oldest first, with their due's date and the provider's payment id. */
  attemptsOf: (q: { policyId: string; from: Date; to: Date }) => Promise<Record<string, unknown>[]>;
};

/** The holder's other policies and their dues: what an event of a holder-level call may be about instead. */
const otherPoliciesOf = async (db: Db, payments: PolicyPaymentRecords, policyId: string, holderId: string): Promise<OtherPolicies> => {
  const others = (await findPolicies(db, { holderIds: [holderId] })).filter((p) => p.id !== policyId);
  const dues = others.length ? await payments.dueIdsOf(others.map((p) => p.id)) : [];
  return { ids: new Set(others.map((p) => p.id)), numbers: new Set(others.map((p) => p.policyNumber)), dues: new Set(dues) };
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
export const policyTimeline = async (db: Db, payments: PolicyPaymentRecords, q: { policyNumber: string; from: Date; to: Date }) => {
  const found = (await findPolicies(db, { numbers: [q.policyNumber] }))[0];
  if (!found) throw new AppError('EVD_NOT_FOUND', `no policy ${q.policyNumber}`);
  const policy = { id: found.id, policyholder_id: found.policyholderId };
  const other = await otherPoliciesOf(db, payments, policy.id, policy.policyholder_id);
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
  return { policyId: policy.id, entries, paymentAttempts: await payments.attemptsOf({ policyId: policy.id, from: q.from, to: q.to }) };
};
