import type { Db } from '../../db/pool.js';
import { batchedTurnRows } from './batched-turn-rows.js';
import type { NewInteraction, SessionStart, TurnWrite } from './session-store.js';

/** A first turn that starts a new session on a new interaction. */
export type NewSessionItem = { init: SessionStart & { interaction: NewInteraction }; write: TurnWrite };

/**
 * Creates several sessions, each with its new interaction, receipt, evidence
 * and outbox rows, in ONE statement and one commit (group commit of first
 * turns). A session whose key exists already (another copy of the request
 * won) writes nothing and reports false. Any other failure (a stored receipt,
 * an interaction recorded meanwhile for the same provider id) fails the whole
 * statement; callers then create each session alone, whose errors the turn
 * runtime handles. Callers never put two items with one session key in a batch.
 */
export const createSessionsBatch = async (db: Db, items: readonly NewSessionItem[], now: Date): Promise<boolean[]> => {
  const col = <T>(f: (it: NewSessionItem, i: number) => T): T[] => items.map(f);
  const rows = batchedTurnRows(items.map(({ init, write }) => ({ interactionId: init.interactionId, write })));
  const { rows: out } = await db.query<{ saved: number[] }>({
    name: 'gw_create_sessions_batch_v1',
    text: `with t as (
       select * from unnest($1::int[], $2::uuid[], $3::text[], $4::text[], $5::int[], $6::uuid[], $7::jsonb[], $8::text[],
                            $9::int[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                            $16::text[], $17::text[], $18::text[], $19::uuid[], $20::uuid[])
         as t(i, sid, skey, machine, mver, ix, snapshot, status, new_seq, new_head, dedupe, ctype, body,
              kind, pref, dir, from_e164, to_e164, ph, pol)),
     s as (
       insert into flow_sessions (id, session_key, machine_id, machine_version, interaction_id, snapshot, version,
                                  status, created_at, updated_at)
       select sid, skey, machine, mver, ix, snapshot, 1, status, $21, $21 from t
       on conflict (session_key) do nothing returning id),
     ok as (select t.* from t join s on s.id = t.sid),
     x as (
       insert into interactions (id, kind, provider_ref, direction, from_e164, to_e164, policyholder_id, policy_id,
                                 started_at, status, evidence_seq, evidence_head)
       select ix, kind, pref, dir, from_e164, to_e164, ph, pol, $21, 'active', new_seq, new_head from ok),
     r as (
       insert into webhook_receipts (dedupe_key, session_id, content_type, response_body, created_at)
       select dedupe, sid, ctype, body, $21 from ok where dedupe is not null),
${rows.sql(22, 'ok', 21)}
     select array(select i from ok) as saved`,
    values: [
      col((_, i) => i), col((it) => it.init.sessionId), col((it) => it.init.sessionKey), col((it) => it.init.machineId),
      col((it) => it.init.machineVersion), col((it) => it.init.interactionId), col((it) => JSON.stringify(it.write.snapshot)),
      col((it) => it.write.status), col((it) => it.write.head.seq), col((it) => it.write.head.hash), col((it) => it.write.dedupeKey),
      col((it) => it.write.receipt.contentType), col((it) => it.write.receipt.body), col((it) => it.init.interaction.kind),
      col((it) => it.init.interaction.providerRef), col((it) => it.init.interaction.direction ?? null),
      col((it) => it.init.interaction.from ?? null), col((it) => it.init.interaction.to ?? null),
      col((it) => it.write.link.policyholderId ?? it.init.interaction.policyholderId ?? null),
      col((it) => it.write.link.policyId ?? it.init.interaction.policyId ?? null),
      now,
      ...rows.params,
    ],
  });
  const saved = new Set(out[0]?.saved ?? []);
  return items.map((_, i) => saved.has(i));
};
