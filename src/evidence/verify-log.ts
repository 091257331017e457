import type { Db } from '../db/pool.js';
import { CheckpointError, openCheckpoint } from './checkpoint.js';
import { GENESIS_HASH } from './hash-chain.js';
import { eventLeaf, leafHashOf } from './log/leaf-data.js';
import { appendLeaves, rangeRoot, type CompactRange } from './merkle/compact-range.js';

/** One thing wrong with the log, naming the leaf and event when there is one. */
export type LogFinding = { leafIndex: number | null; eventId: string | null; reason: string };

export type LogReport = { leaves: number; checkpoints: number; findings: LogFinding[] };

/** A checkpoint someone saved earlier (an anchor, a recipient's copy), checked for a fork. */
export type SavedCheckpoint = { source: string; note: string };

type LeafRow = {
  i: number; kind: string; leaf_hash: Buffer; node_hash: Buffer | null; event_id: string | null;
  e_id: string | null; interaction_id: string | null; seq: number | null; e_hash: string | null;
  policy_id: string | null; pseq: number | null; pl_interaction: string | null; from_seq: number | null; to_seq: number | null;
  head_hash: string | null; first_received_at: Date | null; last_received_at: Date | null; prev_hash: string | null; link_hash: string | null;
};

const LEAVES_SQL = `
  select l.leaf_index::float8 as i, l.kind, l.leaf_hash, n.hash as node_hash, l.event_id,
         e.id as e_id, e.interaction_id, e.seq, e.hash as e_hash,
         pl.policy_id, pl.pseq, pl.interaction_id as pl_interaction, pl.from_seq, pl.to_seq, pl.head_hash,
         pl.first_received_at, pl.last_received_at, pl.prev_hash, pl.link_hash
    from evidence_log_leaves l
    left join evidence_events e on e.id = l.event_id
    left join policy_chain_links pl on pl.leaf_index = l.leaf_index
    left join evidence_tree_nodes n on n.level = 0 and n.idx = l.leaf_index
   where l.leaf_index >= $1 order by l.leaf_index limit $2`;

/** The leaf hash the source rows call for now, or a finding when they are gone. */
const recomputeLeaf = (r: LeafRow): { hash: Buffer; finding: string | null } => {
  if (r.kind === 'event') {
    if (!r.e_id) return { hash: r.leaf_hash, finding: `its event ${r.event_id} is missing from evidence_events (deleted)` };
    const h = leafHashOf(eventLeaf({ id: r.e_id, interactionId: r.interaction_id!, seq: r.seq!, hash: r.e_hash! }));
    return { hash: h, finding: h.equals(r.leaf_hash) ? null : `event ${r.e_id} (interaction ${r.interaction_id} seq ${r.seq}) no longer matches the leaf sequenced for it: edited or reordered after sequencing` };
  }
  if (!r.policy_id) return { hash: r.leaf_hash, finding: 'its policy chain entry is missing (deleted)' };
  const h = leafHashOf({
    v: 1, t: 'policy-link', policyId: r.policy_id, pseq: r.pseq!, prev: r.prev_hash!, interactionId: r.pl_interaction!,
    fromSeq: r.from_seq!, toSeq: r.to_seq!, head: r.head_hash!, firstReceivedAt: r.first_received_at!.toISOString(),
    lastReceivedAt: r.last_received_at!.toISOString(),
  });
  const ok = h.equals(r.leaf_hash) && r.link_hash === h.toString('hex');
  return { hash: h, finding: ok ? null : `policy chain entry ${r.policy_id}#${r.pseq} was altered after sequencing` };
};

/**
 * Recomputes the whole Merkle log from the rows it commits to: every leaf
 * from its event (or policy chain entry), every signed checkpoint's root and
 * signature, the per-policy chains' continuity, and each saved checkpoint
 * (anchors, a recipient's copy) against the root this log has for that size,
 * which names a fork. Streams in batches; memory is O(policies + checkpoints).
 */
export const verifyLog = async (
  db: Db,
  key: { name: string; publicKey: Buffer },
  opts: { saved?: SavedCheckpoint[]; batchSize?: number } = {},
): Promise<LogReport> => {
  const findings: LogFinding[] = [];
  const { rows: cps } = await db.query<{ size: number; root: Buffer; note: string }>(
    'select tree_size::float8 as size, root_hash as root, note from evidence_checkpoints order by tree_size',
  );
  const saved = (opts.saved ?? []).flatMap((s) => {
    try {
      return [{ ...s, cp: openCheckpoint(s.note, key) }];
    } catch (e) {
      findings.push({ leafIndex: null, eventId: null, reason: `saved checkpoint from ${s.source} does not verify: ${(e as Error).message}` });
      return [];
    }
  });
  for (const c of cps) {
    try {
      const o = openCheckpoint(c.note, key);
      if (o.size !== c.size || !o.rootHash.equals(c.root)) throw new CheckpointError('its note does not match its row');
    } catch (e) {
      findings.push({ leafIndex: null, eventId: null, reason: `checkpoint of size ${c.size}: ${(e as Error).message}` });
    }
  }
  const rootsAt = new Map<number, Buffer>();
  const wanted = new Set([...cps.map((c) => c.size), ...saved.map((s) => s.cp.size)]);
  let range: CompactRange = { size: 0, nodes: [] };
  const policyHeads = new Map<string, { pseq: number; hash: string }>();
  const linkedTo = new Map<string, number>();
  const batch = opts.batchSize ?? 10_000;
  for (;;) {
    const { rows } = await db.query<LeafRow>(LEAVES_SQL, [range.size, batch]);
    if (rows.length === 0) break;
    const hashes: Buffer[] = [];
    for (const r of rows) {
      if (r.i !== range.size + hashes.length) {
        const from = range.size + hashes.length;
        findings.push({ leafIndex: from, eventId: null, reason: `leaves ${from}..${r.i - 1} are missing from the log (deleted)` });
        hashes.push(...Array.from({ length: r.i - from }, () => Buffer.alloc(32)));
      }
      const { hash, finding } = recomputeLeaf(r);
      if (finding) findings.push({ leafIndex: r.i, eventId: r.event_id, reason: `leaf ${r.i}: ${finding}` });
      else if (!r.node_hash?.equals(r.leaf_hash)) {
        findings.push({ leafIndex: r.i, eventId: r.event_id, reason: `leaf ${r.i}: differs from the tree node stored when it was sequenced (replaced, inserted or reordered)` });
      }
      if (r.kind === 'policy-link' && r.policy_id) {
        const head = policyHeads.get(r.policy_id);
        const want = head ? { pseq: head.pseq + 1, prev: head.hash } : { pseq: 0, prev: GENESIS_HASH };
        if (r.pseq !== want.pseq || r.prev_hash !== want.prev) {
          findings.push({ leafIndex: r.i, eventId: null, reason: `policy ${r.policy_id}: chain entry #${r.pseq} does not follow #${want.pseq - 1} (entry removed, inserted or reordered)` });
        }
        const key2 = `${r.policy_id}/${r.pl_interaction}`;
        if ((linkedTo.get(key2) ?? -1) + 1 !== r.from_seq) {
          findings.push({ leafIndex: r.i, eventId: null, reason: `policy ${r.policy_id}: interaction ${r.pl_interaction} events are not linked contiguously at seq ${r.from_seq}` });
        }
        linkedTo.set(key2, r.to_seq!);
        policyHeads.set(r.policy_id, { pseq: r.pseq!, hash: r.link_hash! });
      }
      hashes.push(hash);
    }
    // why: append in runs that stop at checkpoint sizes, so the frontier is copied once per run, not per leaf.
    let run: Buffer[] = [];
    for (const h of hashes) {
      run.push(h);
      if (wanted.has(range.size + run.length)) {
        range = appendLeaves(range, run).range;
        run = [];
        rootsAt.set(range.size, rangeRoot(range));
      }
    }
    range = appendLeaves(range, run).range;
  }
  const latest = cps[cps.length - 1]?.size ?? 0;
  if (range.size > latest) {
    findings.push({ leafIndex: latest, eventId: null, reason: `leaves ${latest}..${range.size - 1} are not covered by any signed checkpoint (inserted outside the sequencer)` });
  }
  for (const c of cps) {
    const got = rootsAt.get(c.size);
    if (got && !got.equals(c.root)) findings.push({ leafIndex: c.size - 1, eventId: null, reason: `checkpoint of size ${c.size}: the leaves no longer produce its root` });
    if (!got) findings.push({ leafIndex: null, eventId: null, reason: `checkpoint of size ${c.size}: the log has fewer leaves (${range.size})` });
  }
  for (const s of saved) {
    const got = rootsAt.get(s.cp.size);
    if (!got) findings.push({ leafIndex: null, eventId: null, reason: `saved checkpoint from ${s.source} has size ${s.cp.size}, beyond this log (${range.size}): leaves were removed` });
    else if (!got.equals(s.cp.rootHash)) findings.push({ leafIndex: null, eventId: null, reason: `FORK: saved checkpoint from ${s.source} signed another root for size ${s.cp.size}` });
  }
  const { rows: orphans } = await db.query<{ id: string }>(
    `select e.id from evidence_events e
      where not exists (select 1 from evidence_log_leaves l where l.event_id = e.id)
        and not exists (select 1 from evidence_unsequenced q where q.event_id = e.id) limit 100`,
  );
  for (const o of orphans) findings.push({ leafIndex: null, eventId: o.id, reason: `event ${o.id} is neither in the log nor queued for it (inserted bypassing the gateway)` });
  return { leaves: range.size, checkpoints: cps.length, findings };
};
