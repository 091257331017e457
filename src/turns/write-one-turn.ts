import type { Db } from '../db/pool.js';
import { evidenceParams, insertEvidenceSql } from '../evidence/chain-rows.js';
import { insertInteractionsSql, moveTurnHeadSql } from '../evidence/interactions.js';
import { insertOutboxSql, outboxParams } from '../jobs/outbox-rows.js';
import type { SessionStart, StoredSession, TurnItem, TurnWrite, WriteOutcome } from './turn-write.js';

// Parameter layout of both statements: $1..$11 evidence, $12..$17 outbox, then the turn's own.
const EV = 1;
const OB = 12;
const GATE = 'where exists (select 1 from s)';

const SAVE_TURN_SQL = `with h as (${moveTurnHeadSql({
      id: '$29', fromSeq: '$32', seq: '$26', hash: '$27', ended: '$28', now: '$20', policyholderId: '$30::uuid', policyId: '$31::uuid',
    }, { returning: 'gw_ix.id' })}),
     s as (
       update flow_sessions set snapshot = $18, version = version + 1, status = $19, updated_at = $20
        where id = $21 and version = $22 and exists (select 1 from h) returning id),
     r as (insert into webhook_receipts (dedupe_key, session_id, content_type, response_body, created_at)
           select $23, id, $24, $25, $20 from s where $23::text is not null),
     ev as (${insertEvidenceSql(EV, GATE)}),
     o as (${insertOutboxSql(OB, 20, GATE)})
     select (select count(*) from s)::int as n,
            gw_assert((select count(*) from h) = (select count(*) from s), 'session version') as ok`;

const CREATE_SESSION_SQL = `with s as (
       insert into flow_sessions (id, session_key, machine_id, machine_version, interaction_id, snapshot, version,
                                  status, created_at, updated_at)
       values ($21, $22, $23, $24, $25, $18, 1, $19, $20, $20)
       on conflict (session_key) do nothing returning id),
     i as (${insertInteractionsSql(`select $25, $31, $32, $33, $34, $35, coalesce($39::uuid, $36::uuid), coalesce($40::uuid, $37::uuid), $20,
                  'active', $26, $27 from s where $30`)}),
     r as (insert into webhook_receipts (dedupe_key, session_id, content_type, response_body, created_at)
           select $38, id, $28, $29, $20 from s where $38::text is not null),
     ev as (${insertEvidenceSql(EV, GATE)}),
     h as (${moveTurnHeadSql({
      id: '$25', fromSeq: '$41', seq: '$26', hash: '$27', ended: 'false', now: '$20', policyholderId: '$39::uuid', policyId: '$40::uuid',
    }, { where: 'not $30 and exists (select 1 from s)', returning: 'gw_ix.id' })}),
     o as (${insertOutboxSql(OB, 20, GATE)})
     select (select count(*) from s)::int as n,
            gw_assert($30 or (select count(*) from h) = (select count(*) from s), 'interaction head') as ok`;

/**
 * Writes one turn: the same rows as writeTurns, in a statement of scalar parameters. A lone turn
 * is most turns below saturation, and binding each value once (rather than as one-element arrays
 * of escaped text, the snapshot and answer included) costs the web process and Postgres less.
 */
export const writeOneTurn = (db: Db, item: TurnItem): Promise<WriteOutcome> =>
  item.session ? saveTurn(db, item.session, item.write) : createSession(db, item.start, item.write);

const outcome = (rows: { n: number }[]): WriteOutcome => ((rows[0]?.n ?? 0) === 1 ? 'saved' : 'moved');

/**
 * A turn of an existing session: the chain head first (checked to be where the turn started; that
 * row lock orders every writer of the chain), then the snapshot with the version check, the answer,
 * the evidence and outbox rows. Head moved: nothing written ('moved'). Head taken but version stale:
 * gw_assert rolls the statement back (GW409). A duplicate answer is a unique violation, rolling back all of it.
 */
const saveTurn = async (db: Db, s: StoredSession, w: TurnWrite): Promise<WriteOutcome> => {
  const { rows } = await db.query<{ n: number }>({
    name: 'gw_save_turn_v2',
    text: SAVE_TURN_SQL,
    values: [
      ...evidenceParams(w.evidence), ...outboxParams(w.outbox, s.interactionId),
      JSON.stringify(w.snapshot), w.status, w.now, s.id, s.version, w.dedupeKey, w.receipt.contentType, w.receipt.body,
      w.head.seq, w.head.hash, w.interactionEnded, s.interactionId, w.link.policyholderId ?? null, w.link.policyId ?? null, w.fromSeq,
    ],
  });
  return outcome(rows);
};

/**
 * A first turn: the session (and its interaction unless one was recorded before it). 'moved' when
 * another request created the session first; an existing interaction whose head moved rolls it all back (GW409).
 */
const createSession = async (db: Db, init: SessionStart, w: TurnWrite): Promise<WriteOutcome> => {
  const ix = init.interaction;
  const { rows } = await db.query<{ n: number }>({
    name: 'gw_create_session_v2',
    text: CREATE_SESSION_SQL,
    values: [
      ...evidenceParams(w.evidence), ...outboxParams(w.outbox, init.interactionId),
      JSON.stringify(w.snapshot), w.status, w.now,
      init.sessionId, init.sessionKey, init.machineId, init.machineVersion, init.interactionId,
      w.head.seq, w.head.hash, w.receipt.contentType, w.receipt.body,
      ix !== null, ix?.kind ?? null, ix?.providerRef ?? null, ix?.direction ?? null, ix?.from ?? null,
      ix?.to ?? null, ix?.policyholderId ?? null, ix?.policyId ?? null,
      w.dedupeKey, w.link.policyholderId ?? null, w.link.policyId ?? null, w.fromSeq,
    ],
  });
  return outcome(rows);
};
