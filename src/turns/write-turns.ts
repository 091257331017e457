import type { Db } from '../db/pool.js';
import { insertTaggedEvidenceSql, taggedEvidenceParams } from '../evidence/chain-rows.js';
import { insertInteractionsSql, lockHeadAtSql, moveTurnHeadSql } from '../evidence/interactions.js';
import { insertTaggedOutboxSql, taggedOutboxParams } from '../jobs/outbox-rows.js';
import type { TurnItem } from './turn-write.js';

const T_PARAMS = 24;
const NOW = T_PARAMS + 1;
const EV = NOW + 1;
const OB = EV + 12;

/** The per-turn columns, one array parameter each ($1..$24): the statement's table `t`. */
const turnColumns = (items: readonly TurnItem[]) => {
  const col = <T>(f: (it: TurnItem, i: number) => T): T[] => items.map(f);
  const ix = (it: TurnItem) => it.start?.interaction ?? null;
  return [
    col((_, i) => i), col((it) => it.session?.id ?? it.start!.sessionId), col((it) => it.sessionKey),
    col((it) => it.session?.machineId ?? it.start!.machineId), col((it) => it.session?.machineVersion ?? it.start!.machineVersion),
    col((it) => it.session?.version ?? 0), col((it) => it.session?.interactionId ?? it.start!.interactionId), col((it) => ix(it) !== null),
    col((it) => it.write.fromSeq), col((it) => it.write.head.seq), col((it) => it.write.head.hash),
    col((it) => JSON.stringify(it.write.snapshot)), col((it) => it.write.status), col((it) => it.write.dedupeKey),
    col((it) => it.write.receipt.contentType), col((it) => it.write.receipt.body), col((it) => it.write.interactionEnded),
    col((it) => it.write.link.policyholderId ?? ix(it)?.policyholderId ?? null), col((it) => it.write.link.policyId ?? ix(it)?.policyId ?? null),
    col((it) => ix(it)?.kind ?? null), col((it) => ix(it)?.providerRef ?? null), col((it) => ix(it)?.direction ?? null),
    col((it) => ix(it)?.from ?? null), col((it) => ix(it)?.to ?? null),
  ];
};

// Built once: the statement's text is the same for every batch (only its parameters change).
const WRITE_TURNS_SQL = `with t as (
       select * from unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::int[], $7::uuid[], $8::bool[],
                            $9::int[], $10::int[], $11::text[], $12::jsonb[], $13::text[], $14::text[], $15::text[],
                            $16::text[], $17::bool[], $18::uuid[], $19::uuid[], $20::text[], $21::text[], $22::text[],
                            $23::text[], $24::text[])
         as t(i, sid, skey, machine, mver, ver, ix, new_ix, from_seq, new_seq, new_head, snapshot, status, dedupe, ctype,
              body, ended, ph, pol, kind, pref, dir, from_e164, to_e164)),
     fresh as (
       select t.* from t
         left join lateral (select true as answered from webhook_receipts r where r.dedupe_key = t.dedupe limit 1) r on true
        where r.answered is null),
     old as (
       select f.i from fresh f
        cross join lateral ${lockHeadAtSql('f.ix', 'f.from_seq')} x
        cross join lateral (select 1 from flow_sessions s where s.id = f.sid and s.version = f.ver for no key update) s
        where f.ver > 0),
     ns as (
       insert into flow_sessions (id, session_key, machine_id, machine_version, interaction_id, snapshot, version,
                                  status, created_at, updated_at)
       select sid, skey, machine, mver, ix, snapshot, 1, status, $${NOW}, $${NOW} from fresh where ver = 0
       on conflict (session_key) do nothing returning id),
     new as (select f.i, f.new_ix from fresh f join ns on ns.id = f.sid),
     nx as (${insertInteractionsSql(`
       select t.ix, t.kind, t.pref, t.dir, t.from_e164, t.to_e164, t.ph, t.pol, $${NOW}, 'active', t.new_seq, t.new_head
         from t join new using (i) where new.new_ix`)}),
     h as (${moveTurnHeadSql({
       id: 't.ix', fromSeq: 't.from_seq', seq: 't.new_seq', hash: 't.new_head', ended: 't.ended and t.ver > 0', now: `$${NOW}`,
       policyholderId: 't.ph', policyId: 't.pol',
     }, { from: 't', where: 't.i in (select i from old union all select i from new where not new_ix)', returning: 't.i' })}),
     s as (
       update flow_sessions f set snapshot = t.snapshot, version = f.version + 1, status = t.status, updated_at = $${NOW}
         from t join h using (i) where t.ver > 0 and f.id = t.sid and f.version = t.ver returning t.i),
     saved as (select i from s union all select i from new),
     r as (
       insert into webhook_receipts (dedupe_key, session_id, content_type, response_body, created_at)
       select t.dedupe, t.sid, t.ctype, t.body, $${NOW} from t join saved using (i) where t.dedupe is not null),
     ev as (${insertTaggedEvidenceSql(EV, 'saved')}),
     o as (${insertTaggedOutboxSql(OB, NOW, 'saved')})
     select array(select i from saved) as saved,
            gw_assert((select count(*) from h) = (select count(*) from s) + (select count(*) from new where not new_ix),
                      'turn write') as ok`;

/**
 * How turns are written together (group commit): any number of turns, of
 * existing sessions and first turns of new ones alike, in ONE statement and
 * one commit (a lone turn goes through write-one-turn.ts, the same rows with
 * scalar parameters). Per turn, in that statement: the interaction's
 * chain head (checked to be where the turn started; locking that row first is
 * what orders every writer of the chain), the session snapshot with its
 * optimistic version check (or the new session, and its interaction unless
 * one was recorded before it), the webhook's stored answer, the evidence rows
 * and the outbox rows. Column lists of evidence and outbox rows are their
 * modules' (insertTagged*Sql).
 *
 * Returns, per turn, whether it was saved. A turn is not saved, and writes
 * nothing, when its head or session moved on, its session was created by
 * another request meanwhile, or its webhook has a stored answer already (the
 * caller reloads and replays it). A new session on an existing interaction
 * whose head moved, or a race on a unique key, fails the whole statement
 * (GW409, unique violation): callers then write each turn alone, whose
 * errors the turn engine handles. Callers never put two turns of one session
 * key in a call.
 */
export const writeTurns = async (db: Db, items: readonly TurnItem[], now: Date): Promise<boolean[]> => {
  // why: each row is probed by key (lateral subqueries), so the plan stays a few index lookups per
  // turn even when table statistics lag behind (a new deployment, or a burst): a join or NOT EXISTS
  // planned on "small" tables hashes the whole receipts and interactions tables on every batch.
  const { rows } = await db.query<{ saved: number[] }>({
    name: 'gw_write_turns_v1',
    text: WRITE_TURNS_SQL,
    values: [
      ...turnColumns(items),
      now,
      ...taggedEvidenceParams(items.map((it) => it.write.evidence)),
      ...taggedOutboxParams(items.map((it) => ({ rows: it.write.outbox, interactionId: it.session?.interactionId ?? it.start!.interactionId }))),
    ],
  });
  const saved = new Set(rows[0]?.saved ?? []);
  return items.map((_, i) => saved.has(i));
};
