import type { Db } from '../../db/pool.js';
import { GENESIS_HASH } from '../../evidence/hash-chain.js';
import { evidenceParams, insertEvidenceSql, type EvidenceColumns } from '../../evidence/chain-rows.js';
import { insertOutboxSql, outboxParams, type OutboxRow } from '../../jobs/outbox-rows.js';

export type StoredSession = {
  id: string;
  machineId: string;
  machineVersion: number;
  snapshot: unknown;
  version: number;
  interactionId: string;
  evidenceSeq: number;
  evidenceHead: string;
};

export type StoredReceipt = { contentType: string; body: string };

export type NewInteraction = {
  kind: string;
  providerRef: string | null;
  direction?: string | null;
  from?: string | null;
  to?: string | null;
  policyholderId?: string | null;
  policyId?: string | null;
};

/** A new session: its ids, the machine version it runs, and its interaction unless one was recorded before it. */
export type SessionStart = {
  sessionId: string;
  sessionKey: string;
  machineId: string;
  machineVersion: number;
  interactionId: string;
  interaction: NewInteraction | null;
};

export type LoadedTurn = {
  receipt: StoredReceipt | null;
  session: StoredSession | null;
  /** When there is no session yet: an interaction already recorded for the same provider ref. */
  existingInteraction: { id: string; evidenceSeq: number; evidenceHead: string } | null;
};

/** One round trip: the stored answer for this webhook (if any), the session, and its chain head. */
export const loadTurn = async (
  db: Db,
  sessionKey: string,
  dedupeKey: string | null,
  interaction: Pick<NewInteraction, 'kind' | 'providerRef'>,
): Promise<LoadedTurn> => {
  const { rows } = await db.query({
    name: 'gw_load_turn_v1',
    text: `select
       (select json_build_object('contentType', content_type, 'body', response_body)
          from webhook_receipts where dedupe_key = $1) as receipt,
       (select json_build_object('id', s.id, 'machineId', s.machine_id, 'machineVersion', s.machine_version,
               'snapshot', s.snapshot, 'version', s.version, 'interactionId', s.interaction_id,
               'evidenceSeq', i.evidence_seq, 'evidenceHead', i.evidence_head)
          from flow_sessions s join interactions i on i.id = s.interaction_id
         where s.session_key = $2) as session,
       (select json_build_object('id', id, 'evidenceSeq', evidence_seq, 'evidenceHead', evidence_head)
          from interactions where kind = $3 and provider_ref = $4) as existing`,
    values: [dedupeKey, sessionKey, interaction.kind, interaction.providerRef],
  });
  const r = rows[0] as { receipt: StoredReceipt | null; session: StoredSession | null; existing: LoadedTurn['existingInteraction'] };
  return { receipt: r.receipt, session: r.session, existingInteraction: r.session ? null : r.existing };
};

export type TurnWrite = {
  now: Date;
  snapshot: unknown;
  status: string;
  dedupeKey: string | null;
  receipt: StoredReceipt;
  evidence: EvidenceColumns;
  /** The chain head this turn builds on (its first event's seq); the write checks it is still the head. */
  fromSeq: number;
  head: { seq: number; hash: string };
  outbox: readonly OutboxRow[];
  interactionEnded: boolean;
  /** Who the flow identified; written to the interaction when set. */
  link: { policyholderId?: string | null; policyId?: string | null };
};

// Parameter layout shared by both statements: $1..$11 evidence, $12..$17 outbox, then the rest.
const EV = 1;
const OB = 12;

/** The outcome of a one-statement write: saved, or the data moved on (run the turn again). */
export type WriteOutcome = 'saved' | 'moved';

/** SQLSTATE raised by gw_assert when part of a one-statement turn found the data moved on. */
export const CONFLICT_SQLSTATE = 'GW409';

/**
 * Saves a turn of an existing session in ONE statement (one round trip, one
 * commit): the interaction's chain head (checked to be where the turn
 * started: locking that row first is what orders every writer of the chain),
 * the snapshot with the optimistic version check, the receipt, the evidence
 * rows and the outbox rows. Head moved: nothing is written ('moved'). Head
 * taken but version stale: gw_assert rolls the whole statement back (GW409).
 * A duplicate receipt raises a unique violation, also rolling back all of it.
 */
export const saveTurn = async (db: Db, s: StoredSession, w: TurnWrite): Promise<WriteOutcome> => {
  const gate = 'where exists (select 1 from s)';
  // Named: Postgres parses and plans this statement once per connection, not on every turn.
  const { rows } = await db.query<{ n: number }>({
    name: 'gw_save_turn_v1',
    text: `with h as (
       update interactions set evidence_seq = $26, evidence_head = $27,
              ended_at = case when $28 then coalesce(ended_at, $20) else ended_at end,
              policyholder_id = coalesce($30::uuid, policyholder_id), policy_id = coalesce($31::uuid, policy_id)
        where id = $29 and evidence_seq = $32 returning id),
     s as (
       update flow_sessions set snapshot = $18, version = version + 1, status = $19, updated_at = $20
        where id = $21 and version = $22 and exists (select 1 from h) returning id),
     r as (insert into webhook_receipts (dedupe_key, session_id, content_type, response_body, created_at)
           select $23, id, $24, $25, $20 from s where $23::text is not null),
     ev as (${insertEvidenceSql(EV, gate)}),
     o as (${insertOutboxSql(OB, 20, gate)})
     select (select count(*) from s)::int as n,
            gw_assert((select count(*) from h) = (select count(*) from s), 'session version') as ok`,
    values: [
      ...evidenceParams(w.evidence),
      ...outboxParams(w.outbox, s.interactionId),
      JSON.stringify(w.snapshot), w.status, w.now, s.id, s.version,
      w.dedupeKey, w.receipt.contentType, w.receipt.body,
      w.head.seq, w.head.hash, w.interactionEnded, s.interactionId,
      w.link.policyholderId ?? null, w.link.policyId ?? null, w.fromSeq,
    ],
  });
  return (rows[0]?.n ?? 0) === 1 ? 'saved' : 'moved';
};

/**
 * Creates a session (and its interaction unless one exists) in ONE statement.
 * 'moved' when another request created the session first; an existing
 * interaction whose chain head moved rolls it all back (GW409).
 */
export const createSession = async (db: Db, init: SessionStart, w: TurnWrite): Promise<WriteOutcome> => {
  const gate = 'where exists (select 1 from s)';
  const ix = init.interaction;
  const { rows } = await db.query<{ n: number }>({
    name: 'gw_create_session_v1',
    text: `with s as (
       insert into flow_sessions (id, session_key, machine_id, machine_version, interaction_id, snapshot, version,
                                  status, created_at, updated_at)
       values ($21, $22, $23, $24, $25, $18, 1, $19, $20, $20)
       on conflict (session_key) do nothing returning id),
     i as (insert into interactions (id, kind, provider_ref, direction, from_e164, to_e164, policyholder_id,
                                     policy_id, started_at, status, evidence_seq, evidence_head)
           select $25, $31, $32, $33, $34, $35, coalesce($39::uuid, $36::uuid), coalesce($40::uuid, $37::uuid), $20,
                  'active', $26, $27 from s where $30),
     r as (insert into webhook_receipts (dedupe_key, session_id, content_type, response_body, created_at)
           select $38, id, $28, $29, $20 from s where $38::text is not null),
     ev as (${insertEvidenceSql(EV, gate)}),
     h as (update interactions set evidence_seq = $26, evidence_head = $27,
                  policyholder_id = coalesce($39::uuid, policyholder_id), policy_id = coalesce($40::uuid, policy_id)
            where id = $25 and not $30 and evidence_seq = $41 and exists (select 1 from s) returning id),
     o as (${insertOutboxSql(OB, 20, gate)})
     select (select count(*) from s)::int as n,
            gw_assert($30 or (select count(*) from h) = (select count(*) from s), 'interaction head') as ok`,
    values: [
      ...evidenceParams(w.evidence),
      ...outboxParams(w.outbox, init.interactionId),
      JSON.stringify(w.snapshot), w.status, w.now,
      init.sessionId, init.sessionKey, init.machineId, init.machineVersion, init.interactionId,
      w.head.seq, w.head.hash, w.receipt.contentType, w.receipt.body,
      ix !== null, ix?.kind ?? null, ix?.providerRef ?? null, ix?.direction ?? null, ix?.from ?? null,
      ix?.to ?? null, ix?.policyholderId ?? null, ix?.policyId ?? null,
      w.dedupeKey, w.link.policyholderId ?? null, w.link.policyId ?? null, w.fromSeq,
    ],
  });
  return (rows[0]?.n ?? 0) === 1 ? 'saved' : 'moved';
};

export const genesisHead = () => ({ seq: 0, hash: GENESIS_HASH });
