import { outboxPayloadJson } from '../../jobs/outbox-rows.js';
import type { TurnWrite } from './session-store.js';

/**
 * The evidence and outbox rows of several turns as column arrays, each row
 * tagged with its turn's index in the batch, for statements that write many
 * turns at once and keep only the rows of the turns they saved.
 */
export const batchedTurnRows = (turns: readonly { interactionId: string; write: TurnWrite }[]) => {
  const ev = {
    turn: [] as number[], id: [] as string[], ix: [] as string[], seq: [] as number[], type: [] as string[],
    sv: [] as number[], ref: [] as (string | null)[], pt: [] as (Date | null)[], at: [] as Date[], payload: [] as string[],
    prev: [] as string[], hash: [] as string[],
  };
  const ob = { turn: [] as number[], id: [] as string[], topic: [] as string[], payload: [] as string[], ix: [] as string[], runAt: [] as Date[], corr: [] as (string | null)[] };
  turns.forEach(({ interactionId, write: w }, i) => {
    const e = w.evidence;
    e.ids.forEach((id, k) => {
      ev.turn.push(i); ev.id.push(id); ev.ix.push(e.interactionIds[k]!); ev.seq.push(e.seqs[k]!); ev.type.push(e.types[k]!);
      ev.sv.push(e.schemaVersions[k]!); ev.ref.push(e.providerRefs[k] ?? null); ev.pt.push(e.providerTimes[k] ?? null);
      ev.at.push(e.receivedAts[k]!); ev.payload.push(e.payloads[k]!); ev.prev.push(e.prevHashes[k]!); ev.hash.push(e.hashes[k]!);
    });
    for (const o of w.outbox) {
      ob.turn.push(i); ob.id.push(o.id); ob.topic.push(o.topic); ob.payload.push(outboxPayloadJson(o)); ob.ix.push(interactionId);
      ob.runAt.push(o.runAt); ob.corr.push(o.correlation ?? null);
    }
  });
  return {
    params: [ev.turn, ev.id, ev.ix, ev.seq, ev.type, ev.sv, ev.ref, ev.pt, ev.at, ev.payload, ev.prev, ev.hash,
      ob.turn, ob.id, ob.topic, ob.payload, ob.ix, ob.runAt, ob.corr],
    /**
     * CTEs inserting the rows whose turn index is in `saved` (a CTE with column `i`), with the
     * arrays bound from parameter $p on and `created_at` from `$now`.
     */
    sql: (p: number, saved: string, now: number) => `
     ev as (
       insert into evidence_events
         (id, interaction_id, seq, type, schema_version, provider_ref, provider_time, received_at, payload, prev_hash, hash)
       select e.id, e.ix, e.seq, e.type, e.sv, e.ref, e.pt, e.at, e.payload, e.prev, e.hash
         from unnest($${p}::int[], $${p + 1}::uuid[], $${p + 2}::uuid[], $${p + 3}::int[], $${p + 4}::text[], $${p + 5}::smallint[],
                     $${p + 6}::text[], $${p + 7}::timestamptz[], $${p + 8}::timestamptz[], $${p + 9}::jsonb[], $${p + 10}::text[],
                     $${p + 11}::text[])
           as e(turn, id, ix, seq, type, sv, ref, pt, at, payload, prev, hash)
         join ${saved} on ${saved}.i = e.turn),
     o as (
       insert into outbox (id, topic, payload, interaction_id, run_at, correlation, created_at)
       select u.id, u.topic, u.payload, u.ix, u.run_at, u.corr, $${now}
         from unnest($${p + 12}::int[], $${p + 13}::uuid[], $${p + 14}::text[], $${p + 15}::jsonb[], $${p + 16}::uuid[],
                     $${p + 17}::timestamptz[], $${p + 18}::text[])
           as u(turn, id, topic, payload, ix, run_at, corr)
         join ${saved} on ${saved}.i = u.turn)`,
  };
};
