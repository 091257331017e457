import type { Db } from '../../db/pool.js';
import { findPolicies } from '../../policies/find-policies.js';
import { findPolicyholdersByPhone } from '../../policies/find-policyholders-by-phone.js';

export type SearchQuery = { policyNumber?: string; phone?: string; interactionId?: string; from?: Date; to?: Date; limit?: number };

export type InteractionHit = {
  id: string; kind: string; direction: string | null; from: string | null; to: string | null;
  /** The policy the interaction was identified for, or the holder's only policy; null when it concerned several. */
  policyNumber: string | null;
  /** Every policy whose evidence chain the interaction joins: its own, else all of its holder's. */
  policies: string[];
  startedAt: string; endedAt: string | null; events: number;
};

/**
 * Interactions matching every given criterion: a policy (its own interactions
 * and its holder's unassigned ones), a phone number (either side, or the
 * holder's numbers), an interaction id, a start-time window. Newest first.
 * Policies and holders' numbers come from policies' functions.
 */
export const searchInteractions = async (db: Db, q: SearchQuery): Promise<InteractionHit[]> => {
  const policy = q.policyNumber ? (await findPolicies(db, { numbers: [q.policyNumber] }))[0] : undefined;
  if (q.policyNumber && !policy) return [];
  const phoneHolders = q.phone ? (await findPolicyholdersByPhone(db, q.phone, null)).map((h) => h.id) : [];
  const { rows } = await db.query(
    `select i.id, i.kind, i.direction, i.from_e164, i.to_e164, i.started_at, i.ended_at, i.evidence_seq, i.policy_id, i.policyholder_id
       from interactions i
      where ($1::uuid is null or i.policy_id = $1 or (i.policy_id is null and i.policyholder_id = $2))
        and ($3::text is null or i.from_e164 = $3 or i.to_e164 = $3 or i.policyholder_id = any($4::uuid[]))
        and ($5::uuid is null or i.id = $5)
        and ($6::timestamptz is null or coalesce(i.ended_at, 'infinity') >= $6)
        and ($7::timestamptz is null or i.started_at <= $7)
      order by i.started_at desc, i.id limit $8`,
    [policy?.id ?? null, policy?.policyholderId ?? null, q.phone ?? null, phoneHolders, q.interactionId ?? null, q.from ?? null, q.to ?? null,
      Math.min(q.limit ?? 100, 500)],
  );
  // Every policy whose chain each interaction joins: its own, else all of its holder's (by policy number).
  const refs = await findPolicies(db, {
    ids: rows.filter((r) => r.policy_id).map((r) => r.policy_id as string),
    holderIds: rows.filter((r) => !r.policy_id && r.policyholder_id).map((r) => r.policyholder_id as string),
  });
  const policiesOf = (r: { policy_id: string | null; policyholder_id: string | null }) =>
    refs.filter((p) => (r.policy_id ? p.id === r.policy_id : p.policyholderId === r.policyholder_id)).map((p) => p.policyNumber);
  return rows.map((r) => {
    const policies = policiesOf(r);
    return {
      id: r.id, kind: r.kind, direction: r.direction, from: r.from_e164, to: r.to_e164,
      policyNumber: policies.length === 1 ? policies[0]! : null, policies,
      startedAt: (r.started_at as Date).toISOString(), endedAt: r.ended_at ? (r.ended_at as Date).toISOString() : null, events: r.evidence_seq,
    };
  });
};
