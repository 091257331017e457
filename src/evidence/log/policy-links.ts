import { findPolicies } from '../../policies/find-policies.js';
import { GENESIS_HASH } from '../hash-chain.js';
import { leafHashOf, type PolicyLinkLeaf } from './leaf-data.js';
import type { Queryable } from './tree-store.js';

/** A policy chain entry ready to insert, with its leaf hash. */
export type NewPolicyLink = PolicyLinkLeaf & { leafHash: Buffer };

type Row = {
  policy_id: string;
  interaction_id: string;
  last_to: number | null;
  seq: number;
  hash: string;
  received_at: Date;
};

/**
 * Decides the policy chain entries of a round, after its event leaves are
 * inserted (in the same transaction). An interaction belongs to its policy,
 * or, when it names only a policyholder, to each of that holder's policies.
 * For each (policy, interaction) the entry covers the contiguous run of
 * sequenced events after the last linked one, so an interaction identified
 * mid-call has its earlier events linked too. Deterministic order: policy id,
 * then interaction id.
 */
export const planPolicyLinks = async (db: Queryable, interactionIds: readonly string[]): Promise<NewPolicyLink[]> => {
  if (interactionIds.length === 0) return [];
  // An interaction's policies: its own, or when it names only a policyholder, each of the holder's (policies' findPolicies).
  const { rows: interactions } = await db.query<{ id: string; policy_id: string | null; policyholder_id: string | null }>(
    'select id, policy_id, policyholder_id from interactions where id = any($1::uuid[])',
    [interactionIds],
  );
  const holderIds = interactions.filter((i) => !i.policy_id && i.policyholder_id).map((i) => i.policyholder_id!);
  const holders = holderIds.length ? await findPolicies(db, { holderIds }) : [];
  const pairs = interactions.flatMap((i) =>
    i.policy_id ? [{ i: i.id, p: i.policy_id }] : holders.filter((h) => h.policyholderId === i.policyholder_id).map((h) => ({ i: i.id, p: h.id })));
  if (pairs.length === 0) return [];
  const { rows } = await db.query<Row>(
    `with pairs as (select * from unnest($1::uuid[], $2::uuid[]) as pr(interaction_id, policy_id)),
     last as (
       select pr.policy_id, pr.interaction_id,
              (select l.to_seq from policy_chain_links l
                where l.policy_id = pr.policy_id and l.interaction_id = pr.interaction_id
                order by l.to_seq desc limit 1) as last_to
         from pairs pr)
     select last.policy_id, last.interaction_id, last.last_to, e.seq, e.hash, e.received_at
       from last
       join evidence_events e on e.interaction_id = last.interaction_id and e.seq > coalesce(last.last_to, -1)
       join evidence_log_leaves lf on lf.event_id = e.id
      order by last.policy_id, last.interaction_id, e.seq`,
    [pairs.map((x) => x.i), pairs.map((x) => x.p)],
  );
  type Run = { policyId: string; interactionId: string; fromSeq: number; toSeq: number; head: string; first: Date; last: Date };
  const runs: Run[] = [];
  let run: Run | null = null;
  for (const r of rows) {
    const start = (r.last_to ?? -1) + 1;
    const sameKey = run && run.policyId === r.policy_id && run.interactionId === r.interaction_id;
    if (sameKey && run) {
      // why: stop at a gap (a later seq sequenced before an earlier one); the gap fills in a later round.
      if (r.seq === run.toSeq + 1) {
        run.toSeq = r.seq;
        run.head = r.hash;
        if (r.received_at < run.first) run.first = r.received_at;
        if (r.received_at > run.last) run.last = r.received_at;
      }
      continue;
    }
    run = null;
    if (r.seq !== start) continue;
    run = { policyId: r.policy_id, interactionId: r.interaction_id, fromSeq: r.seq, toSeq: r.seq, head: r.hash, first: r.received_at, last: r.received_at };
    runs.push(run);
  }
  if (runs.length === 0) return [];

  const policyIds = [...new Set(runs.map((r) => r.policyId))];
  const heads = await db.query<{ policy_id: string; pseq: number; link_hash: string }>(
    `select distinct on (policy_id) policy_id, pseq, link_hash from policy_chain_links
      where policy_id = any($1::uuid[]) order by policy_id, pseq desc`,
    [policyIds],
  );
  const head = new Map(heads.rows.map((h) => [h.policy_id, { pseq: h.pseq, hash: h.link_hash }]));
  return runs.map((r) => {
    const h = head.get(r.policyId);
    const leaf: PolicyLinkLeaf = {
      v: 1,
      t: 'policy-link',
      policyId: r.policyId,
      pseq: h ? h.pseq + 1 : 0,
      prev: h ? h.hash : GENESIS_HASH,
      interactionId: r.interactionId,
      fromSeq: r.fromSeq,
      toSeq: r.toSeq,
      head: r.head,
      firstReceivedAt: r.first.toISOString(),
      lastReceivedAt: r.last.toISOString(),
    };
    const leafHash = leafHashOf(leaf);
    head.set(r.policyId, { pseq: leaf.pseq, hash: leafHash.toString('hex') });
    return { ...leaf, leafHash };
  });
};
