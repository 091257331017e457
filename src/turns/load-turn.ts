import type { Db } from '../db/pool.js';
import { GENESIS_HASH } from '../evidence/hash-chain.js';
import { interactionHeadJoin, interactionHeadJson } from '../evidence/interactions.js';
import type { NewInteraction, StoredReceipt, StoredSession } from './turn-write.js';

export type LoadedTurn = {
  receipt: StoredReceipt | null;
  session: StoredSession | null;
  /** When there is no session yet: an interaction already recorded for the same provider ref. */
  existingInteraction: { id: string; evidenceSeq: number; evidenceHead: string } | null;
};

const LOAD_TURN_SQL = `select
       (select json_build_object('contentType', content_type, 'body', response_body)
          from webhook_receipts where dedupe_key = $1) as receipt,
       (select json_build_object('id', s.id, 'machineId', s.machine_id, 'machineVersion', s.machine_version,
               'snapshot', s.snapshot, 'version', s.version, 'interactionId', s.interaction_id,
               'evidenceSeq', i.evidence_seq, 'evidenceHead', i.evidence_head)
          from flow_sessions s ${interactionHeadJoin('i', { idExpr: 's.interaction_id' })}
         where s.session_key = $2) as session,
       ${interactionHeadJson('$3', '$4')} as existing`;

/** One round trip: the stored answer for this webhook (if any), the session, and its chain head. */
export const loadTurn = async (
  db: Db,
  sessionKey: string,
  dedupeKey: string | null,
  interaction: Pick<NewInteraction, 'kind' | 'providerRef'>,
): Promise<LoadedTurn> => {
  const { rows } = await db.query({
    name: 'gw_load_turn_v1',
    text: LOAD_TURN_SQL,
    values: [dedupeKey, sessionKey, interaction.kind, interaction.providerRef],
  });
  const r = rows[0] as { receipt: StoredReceipt | null; session: StoredSession | null; existing: LoadedTurn['existingInteraction'] };
  return { receipt: r.receipt, session: r.session, existingInteraction: r.session ? null : r.existing };
};

/** The head of a chain with no events yet. */
export const genesisHead = () => ({ seq: 0, hash: GENESIS_HASH });
