import { GENESIS_HASH } from '../hash-chain.js';
import { TreeHasher } from '../merkle/tree-hasher.js';
import { isoOf, type RawRow } from '../snapshot-scan.js';
import { eventLeafHashHex, leafHashOf } from './leaf-data.js';

/** One thing wrong with the log, naming the leaf and event when there is one. */
export type LogFinding = { leafIndex: number | null; eventId: string | null; reason: string };

/**
 * Every leaf with what it commits to, in one ordered range read. The check
 * that a leaf equals the tree node stored when it was sequenced is a bytea
 * equality done where both values live, so neither crosses the wire twice.
 * A policy chain entry comes as one JSON array (its times as text), looked up
 * only for leaves that are not events.
 */
export const LEAVES_SQL = (from: number, limit: number): string => `
  select l.leaf_index, l.kind, encode(l.leaf_hash, 'hex'), coalesce(n.hash = l.leaf_hash, false), l.event_id,
         e.id, e.interaction_id, e.seq, e.hash,
         case when l.kind <> 'event' then
           (select json_build_array(pl.policy_id, pl.pseq, pl.interaction_id, pl.from_seq, pl.to_seq, pl.head_hash,
                                    pl.first_received_at::text, pl.last_received_at::text, pl.prev_hash, pl.link_hash)
              from policy_chain_links pl where pl.leaf_index = l.leaf_index)
         end
    from evidence_log_leaves l
    left join evidence_events e on e.id = l.event_id
    left join evidence_tree_nodes n on n.level = 0 and n.idx = l.leaf_index
   where l.leaf_index >= ${from} order by l.leaf_index limit ${limit}`;

const ZERO = '0'.repeat(64);

/**
 * Recomputes the log from LEAVES_SQL rows in one pass: each leaf from its
 * source row, the tree root at every `wanted` size (checkpoints, saved
 * copies), and the per-policy chains' continuity. Memory is O(log n +
 * policies + wanted sizes).
 */
export class LeafScan {
  readonly findings: LogFinding[] = [];
  readonly rootsAt = new Map<number, Buffer>();
  private readonly tree = new TreeHasher();
  private readonly policyHeads = new Map<string, { pseq: number; hash: string }>();
  private readonly linkedTo = new Map<string, number>();

  constructor(private readonly wanted: ReadonlySet<number>) {}

  get size(): number {
    return this.tree.size;
  }

  row(r: RawRow): void {
    const i = Number(r[0]);
    if (i !== this.tree.size) {
      const from = this.tree.size;
      this.findings.push({ leafIndex: from, eventId: null, reason: `leaves ${from}..${i - 1} are missing from the log (deleted)` });
      while (this.tree.size < i) this.add(ZERO);
    }
    const eventId = r[4] ?? null;
    const stored = r[2]!;
    let finding: string | null = null;
    let h: string;
    if (r[1] === 'event') {
      if (r[5] === null || r[5] === undefined) {
        h = stored;
        finding = `its event ${eventId} is missing from evidence_events (deleted)`;
      } else {
        h = eventLeafHashHex(r[5], r[6]!, Number(r[7]), r[8]!);
        if (h !== stored) {
          finding = `event ${r[5]} (interaction ${r[6]} seq ${r[7]}) no longer matches the leaf sequenced for it: edited or reordered after sequencing`;
        }
      }
    } else {
      [h, finding] = this.policyLink(i, r, stored);
    }
    if (finding !== null) this.findings.push({ leafIndex: i, eventId, reason: `leaf ${i}: ${finding}` });
    else if (r[3] !== 't') {
      this.findings.push({ leafIndex: i, eventId, reason: `leaf ${i}: differs from the tree node stored when it was sequenced (replaced, inserted or reordered)` });
    }
    this.add(h);
  }

  private add(h: string): void {
    this.tree.pushHex(h);
    if (this.wanted.has(this.tree.size)) this.rootsAt.set(this.tree.size, this.tree.root());
  }

  /** A policy chain entry's leaf, and its place in the policy's chain and the interaction's events. */
  private policyLink(i: number, r: RawRow, stored: string): [string, string | null] {
    if (r[9] === null || r[9] === undefined) return [stored, 'its policy chain entry is missing (deleted)'];
    const [policyId, pseqV, interactionId, fromV, toV, headHash, first, last, prev, linkHash] = JSON.parse(r[9]) as [
      string, number, string, number, number, string, string, string, string, string,
    ];
    const pseq = Number(pseqV);
    const fromSeq = Number(fromV);
    const toSeq = Number(toV);
    const h = leafHashOf({
      v: 1, t: 'policy-link', policyId, pseq, prev, interactionId, fromSeq, toSeq, head: headHash,
      firstReceivedAt: isoOf(first), lastReceivedAt: isoOf(last),
    }).toString('hex');
    const head = this.policyHeads.get(policyId);
    const want = head ? { pseq: head.pseq + 1, prev: head.hash } : { pseq: 0, prev: GENESIS_HASH };
    if (pseq !== want.pseq || prev !== want.prev) {
      this.findings.push({ leafIndex: i, eventId: null, reason: `policy ${policyId}: chain entry #${pseq} does not follow #${want.pseq - 1} (entry removed, inserted or reordered)` });
    }
    const key = `${policyId}/${interactionId}`;
    if ((this.linkedTo.get(key) ?? -1) + 1 !== fromSeq) {
      this.findings.push({ leafIndex: i, eventId: null, reason: `policy ${policyId}: interaction ${interactionId} events are not linked contiguously at seq ${fromSeq}` });
    }
    this.linkedTo.set(key, toSeq);
    this.policyHeads.set(policyId, { pseq, hash: linkHash });
    const ok = h === stored && linkHash === h;
    return [h, ok ? null : `policy chain entry ${policyId}#${pseq} was altered after sequencing`];
  }
}
