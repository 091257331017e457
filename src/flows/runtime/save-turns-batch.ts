import type { Db } from '../../db/pool.js';
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
  const ev = {
    turn: [] as number[], id: [] as string[], ix: [] as string[], seq: [] as number[], type: [] as string[],
    sv: [] as number[], ref: [] as (string | null)[], pt: [] as (Date | null)[], at: [] as Date[], payload: [] as string[],
    prev: [] as string[], hash: [] as string[],
  };
  const ob = { turn: [] as number[], id: [] as string[], topic: [] as string[], payload: [] as string[], ix: [] as string[], runAt: [] as Date[], corr: [] as (string | null)[] };
  items.forEach(({ session: s, write: w }, i) => {
    t.i.push(i); t.sid.push(s.id); t.ver.push(s.version); t.ix.push(s.interactionId); t.fromSeq.push(w.fromSeq);
    t.newSeq.push(w.head.seq); t.newHead.push(w.head.hash); t.snapshot.push(JSON.stringify(w.snapshot)); t.status.push(w.status);
    t.dedupe.push(w.dedupeKey); t.ctype.push(w.receipt.contentType); t.body.push(w.receipt.body); t.ended.push(w.interactionEnded);
    t.ph.push(w.link.policyholderId ?? null); t.pol.push(w.link.policyId ?? null);
    const e = w.evidence;
    e.ids.forEach((id, k) => {
      ev.turn.push(i); ev.id.push(id); ev.ix.push(e.interactionIds[k]!); ev.seq.push(e.seqs[k]!); ev.type.push(e.types[k]!);
      ev.sv.push(e.schemaVersions[k]!); ev.ref.push(e.providerRefs[k] ?? null); ev.pt.push(e.providerTimes[k] ?? null);
      ev.at.push(e.receivedAts[k]!); ev.payload.push(e.payloads[k]!); ev.prev.push(e.prevHashes[k]!); ev.hash.push(e.hashes[k]!);
    });
    for (const o of w.outbox) {
      ob.turn.push(i); ob.id.push(o.id); ob.topic.push(o.topic); ob.payload.push(JSON.stringify(o.payload)); ob.ix.push(s.interactionId);
      ob.runAt.push(o.runAt); ob.corr.push(o.correlation ?? null);
    }
  });
  const { rows } = await db.query<{ saved: number[] }>({
    name: 'gw_save_turns_batch_v1',
    text: `with t as (
       select * from unnest($1::int[], $2::uuid[], $3::int[], $4::uuid[], $5::int[], $6::int[], $7::text[], $8::jsonb[],
                            $9::text[], $10::text[], $11::text[], $12::text[], $13::bool[], $14::uuid[], $15::uuid[])
         as t(i, sid, ver, ix, from_seq, new_seq, new_head, snapshot, status, dedupe, ctype, body, ended, ph, pol)),
     ok as (
       select t.i from t
         join interactions x on x.id = t.ix and x.evidence_seq = t.from_seq
         join flow_sessions f on f.id = t.sid and f.version = t.ver
        where t.dedupe is null or not exists (select 1 from webhook_receipts r where r.dedupe_key = t.dedupe)
        for update of x, f),
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
     ev as (
       insert into evidence_events
         (id, interaction_id, seq, type, schema_version, provider_ref, provider_time, received_at, payload, prev_hash, hash)
       select e.id, e.ix, e.seq, e.type, e.sv, e.ref, e.pt, e.at, e.payload, e.prev, e.hash
         from unnest($17::int[], $18::uuid[], $19::uuid[], $20::int[], $21::text[], $22::smallint[], $23::text[],
                     $24::timestamptz[], $25::timestamptz[], $26::jsonb[], $27::text[], $28::text[])
           as e(turn, id, ix, seq, type, sv, ref, pt, at, payload, prev, hash)
         join s on s.i = e.turn),
     o as (
       insert into outbox (id, topic, payload, interaction_id, run_at, correlation, created_at)
       select u.id, u.topic, u.payload, u.ix, u.run_at, u.corr, $16
         from unnest($29::int[], $30::uuid[], $31::text[], $32::jsonb[], $33::uuid[], $34::timestamptz[], $35::text[])
           as u(turn, id, topic, payload, ix, run_at, corr)
         join s on s.i = u.turn)
     select array(select i from s) as saved,
            gw_assert((select count(*) from h) = (select count(*) from s), 'batched turn') as ok`,
    values: [
      t.i, t.sid, t.ver, t.ix, t.fromSeq, t.newSeq, t.newHead, t.snapshot, t.status, t.dedupe, t.ctype, t.body, t.ended, t.ph, t.pol,
      now,
      ev.turn, ev.id, ev.ix, ev.seq, ev.type, ev.sv, ev.ref, ev.pt, ev.at, ev.payload, ev.prev, ev.hash,
      ob.turn, ob.id, ob.topic, ob.payload, ob.ix, ob.runAt, ob.corr,
    ],
  });
  const saved = new Set(rows[0]?.saved ?? []);
  return items.map((_, i) => saved.has(i));
};
