import type { Db } from '../../db/pool.js';
import { batchedTurnRows } from './batched-turn-rows.js';
import type { StoredSession, TurnWrite } from './session-store.js';

export type BatchItem = { session: StoredSession; write: TurnWrite };

/**
 * Saves the turns of several sessions in ONE statement and one commit (group
 * commit). Each turn is written only if its chain head and session version
 * are still what it was computed from and its webhook has no stored answer
 * yet; the rows are locked before anything is written, so a turn either goes
 * in whole or not at all, independently of the others. Returns, per item,
 * whether it was saved. Callers never put two turns of one session in a batch.
 */
export const saveTurnsBatch = async (db: Db, items: readonly BatchItem[], now: Date): Promise<boolean[]> => {
  const t = {
    i: [] as number[], sid: [] as string[], ver: [] as number[], ix: [] as string[], fromSeq: [] as number[],
    newSeq: [] as number[], newHead: [] as string[], snapshot: [] as string[], status: [] as string[],
    dedupe: [] as (string | null)[], ctype: [] as string[], body: [] as string[], ended: [] as boolean[],
    ph: [] as (string | null)[], pol: [] as (string | null)[],
  };
  items.forEach(({ session: s, write: w }, i) => {
    t.i.push(i); t.sid.push(s.id); t.ver.push(s.version); t.ix.push(s.interactionId); t.fromSeq.push(w.fromSeq);
    t.newSeq.push(w.head.seq); t.newHead.push(w.head.hash); t.snapshot.push(JSON.stringify(w.snapshot)); t.status.push(w.status);
    t.dedupe.push(w.dedupeKey); t.ctype.push(w.receipt.contentType); t.body.push(w.receipt.body); t.ended.push(w.interactionEnded);
    t.ph.push(w.link.policyholderId ?? null); t.pol.push(w.link.policyId ?? null);
  });
  const rows = batchedTurnRows(items.map(({ session, write }) => ({ interactionId: session.interactionId, write })));
  // why: each row is probed by key (lateral subqueries), so the plan stays a few index lookups per
  // turn even when table statistics lag behind (a new deployment, or a burst): a join or NOT EXISTS
  // planned on "small" tables hashes the whole receipts and interactions tables on every batch.
  const { rows: out } = await db.query<{ saved: number[] }>({
    name: 'gw_save_turns_batch_v2',
    text: `with t as (
       select * from unnest($1::int[], $2::uuid[], $3::int[], $4::uuid[], $5::int[], $6::int[], $7::text[], $8::jsonb[],
                            $9::text[], $10::text[], $11::text[], $12::text[], $13::bool[], $14::uuid[], $15::uuid[])
         as t(i, sid, ver, ix, from_seq, new_seq, new_head, snapshot, status, dedupe, ctype, body, ended, ph, pol)),
     ok as (
       select t.i from t
        cross join lateral (select 1 from interactions x where x.id = t.ix and x.evidence_seq = t.from_seq for no key update) x
        cross join lateral (select 1 from flow_sessions f where f.id = t.sid and f.version = t.ver for no key update) f
         left join lateral (select true as answered from webhook_receipts r where r.dedupe_key = t.dedupe limit 1) r on true
        where r.answered is null),
     h as (
       update interactions x set evidence_seq = t.new_seq, evidence_head = t.new_head,
              ended_at = case when t.ended then coalesce(x.ended_at, $16) else x.ended_at end,
              policyholder_id = coalesce(t.ph, x.policyholder_id), policy_id = coalesce(t.pol, x.policy_id)
         from t join ok using (i) where x.id = t.ix and x.evidence_seq = t.from_seq returning t.i),
     s as (
       update flow_sessions f set snapshot = t.snapshot, version = f.version + 1, status = t.status, updated_at = $16
         from t join h using (i) where f.id = t.sid and f.version = t.ver returning t.i),
     r as (
       insert into webhook_receipts (dedupe_key, session_id, content_type, response_body, created_at)
       select t.dedupe, t.sid, t.ctype, t.body, $16 from t join s using (i) where t.dedupe is not null),
${rows.sql(17, 's', 16)}
     select array(select i from s) as saved,
            gw_assert((select count(*) from h) = (select count(*) from s), 'batched turn') as ok`,
    values: [
      t.i, t.sid, t.ver, t.ix, t.fromSeq, t.newSeq, t.newHead, t.snapshot, t.status, t.dedupe, t.ctype, t.body, t.ended, t.ph, t.pol,
      now,
      ...rows.params,
    ],
  });
  const saved = new Set(out[0]?.saved ?? []);
  return items.map((_, i) => saved.has(i));
};
