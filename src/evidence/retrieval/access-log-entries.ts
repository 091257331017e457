import type { Db } from '../../db/pool.js';
import { findPolicies } from '../../policies/find-policies.js';
import { EvidenceType } from '../evidence-event.js';

/** The audit events an access log lists: reads and exports of evidence, and console sign-ins and sign-outs. */
export const ACCESS_LOG_TYPES: readonly string[] = [
  EvidenceType.EVIDENCE_ACCESSED, EvidenceType.EVIDENCE_EXPORTED, EvidenceType.CONSOLE_SIGN_IN,
  EvidenceType.CONSOLE_SIGN_IN_REFUSED, EvidenceType.CONSOLE_ACCOUNT_LOCKED, EvidenceType.CONSOLE_SIGN_OUT,
];

export type AccessLogQuery = { from?: Date; to?: Date; actor?: string; policyNumber?: string; limit?: number };

export type AccessLogEntry = {
  eventId: string; type: string; receivedAt: string; leafIndex: number | null;
  actor: { kind: string; id: string; name: string; role: string } | null;
  action: string | null;
  /** The policy whose audit chain holds the record, when the read was about one. */
  policyNumber: string | null;
  /** The rest of the record as written (what was read: the query, the interaction, the export's window...). */
  details: Record<string, unknown>;
};

/**
 * Who read or exported evidence, and who signed in to the consoles, newest first: the records of
 * the audit interactions (recordAccess writes them), optionally in a window, by an actor (a part of
 * their name, any case, or their id: reads name a console user by display name, sign-ins by username),
 * or about one policy. At most `limit` (default 200, at most 1,000).
 */
export const accessLogEntries = async (db: Db, q: AccessLogQuery): Promise<AccessLogEntry[]> => {
  const policy = q.policyNumber ? (await findPolicies(db, { numbers: [q.policyNumber] }))[0] : undefined;
  if (q.policyNumber && !policy) return [];
  const { rows } = await db.query(
    `select e.id, e.type, e.received_at, e.payload, l.leaf_index::float8 as leaf_index, i.policy_id
       from interactions i
       join evidence_events e on e.interaction_id = i.id
       left join evidence_log_leaves l on l.event_id = e.id
      where i.kind = 'audit' and e.type = any($1::text[])
        and ($2::timestamptz is null or e.received_at >= $2) and ($3::timestamptz is null or e.received_at <= $3)
        and ($4::text is null or strpos(lower(e.payload #>> '{actor,name}'), lower($4)) > 0 or e.payload #>> '{actor,id}' = $4)
        and ($5::uuid is null or i.policy_id = $5)
      order by e.received_at desc, e.id desc limit $6`,
    [ACCESS_LOG_TYPES, q.from ?? null, q.to ?? null, q.actor ?? null, policy?.id ?? null, Math.min(q.limit ?? 200, 1000)],
  );
  const ids = [...new Set(rows.map((r) => r.policy_id as string | null).filter((id): id is string => id !== null))];
  const numbers = new Map((ids.length ? await findPolicies(db, { ids }) : []).map((p) => [p.id, p.policyNumber]));
  return rows.map((r) => {
    const { actor, action, accessId: _id, ...details } = (r.payload ?? {}) as Record<string, unknown>;
    return {
      eventId: r.id as string, type: r.type as string, receivedAt: (r.received_at as Date).toISOString(), leafIndex: r.leaf_index as number | null,
      actor: actor && typeof actor === 'object' ? (actor as AccessLogEntry['actor']) : null,
      action: typeof action === 'string' ? action : null, policyNumber: numbers.get(r.policy_id as string) ?? null, details,
    };
  });
};
