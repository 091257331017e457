import type { Db, DbClient } from '../db/pool.js';
import { newId } from '../shared/ids.js';
import type { ChainHead } from './chain-rows.js';

/**
 * Interactions (a call, an SMS thread, a due's payments, a system day) are
 * the evidence chains' owners: each row holds its chain's head. Other domains
 * reach them only through this module: these functions, and SQL fragments
 * for a caller's own statement where reading a head with its data saves a
 * round trip on the call path.
 */

type Queryable = Pick<Db, 'query'> | Pick<DbClient, 'query'>;

export type InteractionRow = {
  kind: string;
  providerRef: string;
  status: string;
  direction?: string | null;
  from?: string | null;
  to?: string | null;
  policyId?: string | null;
  policyholderId?: string | null;
};

/**
 * The interaction with this provider identity, created if there is none. When
 * another transaction inserts the same row concurrently, ours waits for it,
 * skips the insert, and its snapshot (taken before that commit) cannot see
 * the row either; the next statement can, so it runs again.
 */
export const ensureInteraction = async (q: Queryable, row: InteractionRow, at: Date): Promise<string> => {
  for (let attempt = 0; attempt < 3; attempt++) {
    const { rows } = await q.query<{ id: string }>(
      `with ins as (
         insert into interactions (id, kind, provider_ref, direction, from_e164, to_e164, policy_id, policyholder_id, started_at, status)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         on conflict (kind, provider_ref) where provider_ref is not null do nothing returning id)
       select id from ins union all select id from interactions where kind = $2 and provider_ref = $3 limit 1`,
      [newId(), row.kind, row.providerRef, row.direction ?? null, row.from ?? null, row.to ?? null, row.policyId ?? null,
        row.policyholderId ?? null, at, row.status],
    );
    if (rows[0]) return rows[0].id;
  }
  throw new Error(`interaction ${row.kind} ${row.providerRef} could not be created or found`);
};

/** The interaction with this provider identity, if one was recorded. */
export const findInteractionId = async (db: Queryable, kind: string, providerRef: string): Promise<string | null> => {
  const { rows } = await db.query<{ id: string }>('select id from interactions where kind = $1 and provider_ref = $2', [kind, providerRef]);
  return rows[0]?.id ?? null;
};

/** An interaction's chain head as it is now (null: no such interaction). */
export const readChainHead = async (db: Queryable, interactionId: string, o: { lock?: boolean } = {}): Promise<ChainHead | null> => {
  const { rows } = await db.query<{ evidence_seq: number; evidence_head: string }>(
    `select evidence_seq, evidence_head from interactions where id = $1${o.lock ? ' for no key update' : ''}`,
    [interactionId],
  );
  return rows[0] ? { seq: rows[0].evidence_seq, hash: rows[0].evidence_head } : null;
};

/**
 * SQL moving a chain's head to $p (seq) and $p+1 (hash) on interaction $p+2;
 * with `fromSeq`, only if the head is still at $p+3 (optimistic writers), and
 * only when `where` (a further condition) holds. The one statement that moves a head outside a turn.
 */
export const moveHeadSql = (p: number, o: { fromSeq?: boolean; where?: string } = {}): string =>
  `update interactions set evidence_seq = $${p}, evidence_head = $${p + 1}
    where id = $${p + 2}${o.fromSeq ? ` and evidence_seq = $${p + 3}` : ''}${o.where ? ` and ${o.where}` : ''} returning id`;

// why: fragments name their own table `gw_ix`, so they never shadow an alias of the statement they go into.

/**
 * A lateral join, for a caller's statement, giving `alias`.id, .evidence_seq and .evidence_head of
 * the interaction `kind` / `refExpr` (SQL expressions), locked for this transaction when `lock`.
 */
export const interactionHeadJoin = (alias: string, on: { idExpr: string } | { kind: string; refExpr: string }, o: { lock?: boolean } = {}): string =>
  `left join lateral (select gw_ix.id, gw_ix.evidence_seq, gw_ix.evidence_head from interactions gw_ix
     where ${'idExpr' in on ? `gw_ix.id = ${on.idExpr}` : `gw_ix.kind = '${on.kind.replace(/'/g, "''")}' and gw_ix.provider_ref = ${on.refExpr}`}${o.lock ? ' for no key update' : ''}) ${alias} on true`;

/** The customer's number and ours on an interaction (inbound: they wrote or called from `from`), and its kind; null when unknown. */
export const findInteractionNumbers = async (db: Queryable, id: string): Promise<{ phone: string; ourNumber: string; kind: string } | null> => {
  const { rows } = await db.query<{ from_e164: string | null; to_e164: string | null; direction: string; kind: string }>(
    'select from_e164, to_e164, direction, kind from interactions where id = $1', [id]);
  const r = rows[0];
  if (!r) return null;
  const [phone, ourNumber] = r.direction === 'outbound' ? [r.to_e164, r.from_e164] : [r.from_e164, r.to_e164];
  return phone && ourNumber ? { phone, ourNumber, kind: r.kind } : null;
};

/** A SQL expression: the customer's number on interaction `idExpr` (theirs: From inbound, To outbound). */
export const customerNumberOfInteraction = (idExpr: string): string =>
  `(select case when gw_ix.direction = 'outbound' then gw_ix.to_e164 else gw_ix.from_e164 end from interactions gw_ix where gw_ix.id = ${idExpr})`;

/** A SQL expression: the interaction `kindExpr` / `refExpr` as JSON {id, evidenceSeq, evidenceHead}, or null. */
export const interactionHeadJson = (kindExpr: string, refExpr: string): string =>
  `(select json_build_object('id', gw_ix.id, 'evidenceSeq', gw_ix.evidence_seq, 'evidenceHead', gw_ix.evidence_head)
      from interactions gw_ix where gw_ix.kind = ${kindExpr} and gw_ix.provider_ref = ${refExpr})`;

/**
 * A lateral subquery, for a batched write: interaction `idExpr` if its head is still at `seqExpr`,
 * locked (the lock that orders every writer of a chain); no row when the head moved.
 */
export const lockHeadAtSql = (idExpr: string, seqExpr: string): string =>
  `(select 1 from interactions gw_ix where gw_ix.id = ${idExpr} and gw_ix.evidence_seq = ${seqExpr} for no key update)`;

/**
 * SQL inserting new interactions from `select`, whose columns are, in order: id, kind, provider_ref,
 * direction, from_e164, to_e164, policyholder_id, policy_id, started_at, status, evidence_seq, evidence_head.
 */
export const insertInteractionsSql = (select: string): string =>
  `insert into interactions (id, kind, provider_ref, direction, from_e164, to_e164, policyholder_id, policy_id,
                             started_at, status, evidence_seq, evidence_head) ${select}`;

/** SQL expressions for moving a chain's head with a flow turn (columns of a batch's rows, or parameters). */
export type TurnHeadMove = {
  id: string; fromSeq: string; seq: string; hash: string;
  /** Whether the turn ends the interaction (sets ended_at to `now` once). */
  ended: string; now: string;
  /** Who the flow identified (uuid expressions; null keeps what is there). */
  policyholderId: string; policyId: string;
};

/**
 * SQL moving a chain's head with a flow turn, only if it is still at `fromSeq` and `where` holds:
 * the new head, the end of the interaction, the policyholder and policy the flow identified.
 * `from` names the rows of a batch (one head per row); `returning` what each moved head returns.
 */
export const moveTurnHeadSql = (v: TurnHeadMove, o: { from?: string; where?: string; returning: string }): string =>
  `update interactions gw_ix set evidence_seq = ${v.seq}, evidence_head = ${v.hash},
          ended_at = case when ${v.ended} then coalesce(gw_ix.ended_at, ${v.now}) else gw_ix.ended_at end,
          policyholder_id = coalesce(${v.policyholderId}, gw_ix.policyholder_id), policy_id = coalesce(${v.policyId}, gw_ix.policy_id)
     ${o.from ? `from ${o.from}` : ''}
    where gw_ix.id = ${v.id} and gw_ix.evidence_seq = ${v.fromSeq}${o.where ? ` and ${o.where}` : ''}
   returning ${o.returning}`;
