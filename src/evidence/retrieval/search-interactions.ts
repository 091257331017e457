import type { Db } from '../../db/pool.js';

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
 */
export const searchInteractions = async (db: Db, q: SearchQuery): Promise<InteractionHit[]> => {
  const { rows } = await db.query(
    `select i.id, i.kind, i.direction, i.from_e164, i.to_e164, i.started_at, i.ended_at, i.evidence_seq,
            coalesce(array(select q.policy_number from policies q
                            where q.id = i.policy_id or (i.policy_id is null and q.policyholder_id = i.policyholder_id)
                            order by q.policy_number), '{}') as policies
       from interactions i
      where ($1::text is null or exists (select 1 from policies q where q.policy_number = $1
                and (q.id = i.policy_id or (i.policy_id is null and q.policyholder_id = i.policyholder_id))))
        and ($2::text is null or i.from_e164 = $2 or i.to_e164 = $2
             or exists (select 1 from policyholder_phones ph where ph.phone_e164 = $2 and ph.policyholder_id = i.policyholder_id))
        and ($3::uuid is null or i.id = $3)
        and ($4::timestamptz is null or coalesce(i.ended_at, 'infinity') >= $4)
        and ($5::timestamptz is null or i.started_at <= $5)
      order by i.started_at desc, i.id limit $6`,
    [q.policyNumber ?? null, q.phone ?? null, q.interactionId ?? null, q.from ?? null, q.to ?? null, Math.min(q.limit ?? 100, 500)],
  );
  return rows.map((r) => ({
    id: r.id, kind: r.kind, direction: r.direction, from: r.from_e164, to: r.to_e164,
    policyNumber: r.policies.length === 1 ? r.policies[0] : null, policies: r.policies,
    startedAt: (r.started_at as Date).toISOString(), endedAt: r.ended_at ? (r.ended_at as Date).toISOString() : null, events: r.evidence_seq,
  }));
};
