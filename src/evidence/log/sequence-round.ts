import type pg from 'pg';
import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';
import { openCheckpoint, signCheckpoint } from '../checkpoint.js';
import { appendLeaves, frontierIds, rangeRoot, type CompactRange } from '../merkle/compact-range.js';
import { nodeKey } from '../merkle/rfc6962.js';
import type { EvidenceSigner } from '../signer.js';
import { eventLeaf, leafHashOf } from './leaf-data.js';
import { planPolicyLinks } from './policy-links.js';
import { insertNodes, latestCheckpoint, nodeReader, type StoredCheckpoint } from './tree-store.js';

export type RoundDeps = {
  clock: Clock;
  signer: EvidenceSigner;
  /** Checkpoint origin line; also the signer's key name. */
  origin: string;
  batchSize?: number;
  /** Test hook: runs inside the round's transaction after the leaves are written, before commit. */
  beforeCommit?: (client: pg.ClientBase) => Promise<void>;
};

export type RoundResult = { events: number; links: number; checkpoint: StoredCheckpoint | null };

/**
 * Loads the frontier of the current tree and refuses to go on unless it
 * reproduces the last signed checkpoint: the log never signs a checkpoint
 * inconsistent with one it signed before.
 */
const loadConsistentFrontier = async (c: pg.ClientBase, deps: RoundDeps): Promise<CompactRange> => {
  const prev = await latestCheckpoint(c);
  const size = prev?.treeSize ?? 0;
  const { rows } = await c.query<{ n: number }>('select count(*)::int as n from evidence_log_leaves where leaf_index >= $1', [size]);
  if ((rows[0]?.n ?? 0) > 0) {
    throw new AppError('EVD_LOG_INCONSISTENT', `leaves exist beyond the last checkpoint (size ${size}); refusing to sign`);
  }
  const ids = frontierIds(size);
  const got = await nodeReader(c)(ids);
  const range: CompactRange = {
    size,
    nodes: ids.map((id) => {
      const hash = got.get(nodeKey(id));
      if (!hash) throw new AppError('EVD_LOG_INCONSISTENT', `tree node level ${id.level} index ${id.index} is missing`);
      return { ...id, hash };
    }),
  };
  if (prev) {
    const signed = openCheckpoint(prev.note, deps.signer);
    if (signed.size !== size || !signed.rootHash.equals(prev.rootHash) || !rangeRoot(range).equals(prev.rootHash)) {
      throw new AppError('EVD_LOG_INCONSISTENT', `stored tree does not reproduce the checkpoint of size ${size}; refusing to sign`);
    }
  }
  return range;
};

/**
 * One sequencing round in ONE transaction on the leader's client: take the
 * oldest unsequenced events (received time, then id), number them from the
 * current tree size, add the policy chain entries they complete, store the
 * new subtree hashes and a signed checkpoint, and drain them from the queue.
 * A crash anywhere rolls all of it back; the next round starts from the same
 * checkpoint, so no index is skipped or repeated. The caller must hold the
 * sequencer lock; primary keys on leaf_index and tree_size stop a rogue
 * second writer anyway.
 */
export const sequenceRound = async (c: pg.ClientBase, deps: RoundDeps): Promise<RoundResult> => {
  await c.query('begin');
  try {
    const range = await loadConsistentFrontier(c, deps);
    const { rows: events } = await c.query<{ id: string; interaction_id: string; seq: number; hash: string }>(
      `select e.id, e.interaction_id, e.seq, e.hash
         from (select event_id, received_at from evidence_unsequenced order by received_at, event_id limit $1) q
         join evidence_events e on e.id = q.event_id
        order by q.received_at, q.event_id`,
      [deps.batchSize ?? 5_000],
    );
    if (events.length === 0) {
      await c.query('rollback');
      return { events: 0, links: 0, checkpoint: null };
    }
    const now = deps.clock.now();
    const eventHashes = events.map((e) => leafHashOf(eventLeaf({ id: e.id, interactionId: e.interaction_id, seq: e.seq, hash: e.hash })));
    const first = range.size;
    await c.query(
      `insert into evidence_log_leaves (leaf_index, kind, event_id, leaf_hash, sequenced_at)
       select $1::bigint + ord - 1, 'event', id, h, $4 from unnest($2::uuid[], $3::bytea[]) with ordinality as u(id, h, ord)`,
      [first, events.map((e) => e.id), eventHashes, now],
    );
    const links = await planPolicyLinks(c, [...new Set(events.map((e) => e.interaction_id))]);
    const linkStart = first + events.length;
    if (links.length > 0) {
      await c.query(
        `insert into evidence_log_leaves (leaf_index, kind, leaf_hash, sequenced_at)
         select $1::bigint + ord - 1, 'policy-link', h, $3 from unnest($2::bytea[]) with ordinality as u(h, ord)`,
        [linkStart, links.map((l) => l.leafHash), now],
      );
      await c.query(
        `insert into policy_chain_links (policy_id, pseq, interaction_id, from_seq, to_seq, head_hash, first_received_at,
                                         last_received_at, prev_hash, link_hash, leaf_index)
         select p, s, i, f, t, h, fr, lr, pv, lh, $11::bigint + ord - 1
           from unnest($1::uuid[], $2::int[], $3::uuid[], $4::int[], $5::int[], $6::text[], $7::timestamptz[],
                       $8::timestamptz[], $9::text[], $10::text[]) with ordinality as u(p, s, i, f, t, h, fr, lr, pv, lh, ord)`,
        [
          links.map((l) => l.policyId), links.map((l) => l.pseq), links.map((l) => l.interactionId),
          links.map((l) => l.fromSeq), links.map((l) => l.toSeq), links.map((l) => l.head),
          links.map((l) => l.firstReceivedAt), links.map((l) => l.lastReceivedAt), links.map((l) => l.prev),
          links.map((l) => l.leafHash.toString('hex')), linkStart,
        ],
      );
    }
    const appended = appendLeaves(range, [...eventHashes, ...links.map((l) => l.leafHash)]);
    await insertNodes(c, appended.created);
    const rootHash = rangeRoot(appended.range);
    const note = signCheckpoint({ origin: deps.origin, size: appended.range.size, rootHash }, deps.signer);
    await c.query(
      `insert into evidence_checkpoints (tree_size, root_hash, origin, key_id, note, created_at) values ($1, $2, $3, $4, $5, $6)`,
      [appended.range.size, rootHash, deps.origin, deps.signer.keyId.toString('hex'), note, now],
    );
    await c.query('delete from evidence_unsequenced where event_id = any($1::uuid[])', [events.map((e) => e.id)]);
    await deps.beforeCommit?.(c);
    await c.query('commit');
    return { events: events.length, links: links.length, checkpoint: { treeSize: appended.range.size, rootHash, note, createdAt: now } };
  } catch (err) {
    await c.query('rollback').catch(() => undefined);
    throw err;
  }
};
