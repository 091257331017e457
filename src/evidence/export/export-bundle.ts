import { readFileSync } from 'node:fs';
import canonicalize from 'canonicalize';
import type { Db } from '../../db/pool.js';
import { findPolicies } from '../../policies/find-policies.js';
import { AppError } from '../../shared/app-error.js';
import type { Clock } from '../../shared/clock.js';
import { newId } from '../../shared/ids.js';
import { EVIDENCE_EXPORTED, recordAccess, type Actor } from '../access-log.js';
import { consistencyProof } from '../log/log-proofs.js';
import { rangeProof } from '../log/range-proof.js';
import { checkpointAt, latestCheckpoint, type StoredCheckpoint } from '../log/tree-store.js';
import { verifierKey, type EvidenceSigner } from '../signer.js';
import { bundleReadme } from './bundle-readme.js';
import { renderTranscript, type BundleEvent } from './render-transcript.js';

/** The bundle as file name -> content; the CLI writes it to a folder, the API returns it. */
export type Bundle = Record<string, string>;

export type ExportDeps = {
  db: Db;
  clock: Clock;
  signer: Pick<EvidenceSigner, 'name' | 'publicKey'>;
  /** Makes sequencing happen soon (one round if no leader runs); the export waits for its own record. */
  kickSequencer: () => Promise<void>;
  timeoutMs?: number;
};

export type ExportRequest = { policyNumber: string; from: Date; to: Date; actor: Actor; sinceSize?: number };

const VERIFIER_SOURCE = new URL('./verify-bundle.mjs', import.meta.url);
const FORMAT_SOURCE = new URL('./bundle-format.md', import.meta.url);
const PROOFS_SOURCE = new URL('./verify-proofs.mjs', import.meta.url);

const json = (v: unknown) => `${canonicalize(v) ?? 'null'}\n`;

/** Waits until the export's own access record is in a signed checkpoint. */
const awaitCheckpointed = async (deps: ExportDeps, eventId: string): Promise<StoredCheckpoint> => {
  const deadline = Date.now() + (deps.timeoutMs ?? 15_000);
  for (;;) {
    const { rows } = await deps.db.query<{ i: number }>('select leaf_index::float8 as i from evidence_log_leaves where event_id = $1', [eventId]);
    const cp = await latestCheckpoint(deps.db);
    if (rows[0] && cp && cp.treeSize > rows[0].i) return cp;
    if (Date.now() > deadline) throw new AppError('EVD_SEQUENCER_UNAVAILABLE', 'no sequencer put the export record into a checkpoint in time');
    await deps.kickSequencer();
    await new Promise((r) => setTimeout(r, 100));
  }
};

type LinkRow = {
  pseq: number; interaction_id: string; from_seq: number; to_seq: number; head_hash: string; first_received_at: Date;
  last_received_at: Date; prev_hash: string; leaf_index: number;
};

/**
 * Builds an offline-verifiable bundle for one policy and window. First it
 * records the export itself in the policy's chain and waits for a checkpoint
 * covering that record; the bundle then holds the whole policy chain up to it
 * (entries outside the window as hashes and times only), every event of the
 * entries overlapping the window in full, one range proof for all of them,
 * the checkpoint, the key, transcripts, a README and the verifier.
 */
export const exportBundle = async (deps: ExportDeps, req: ExportRequest): Promise<Bundle> => {
  const { db } = deps;
  const found = (await findPolicies(db, { numbers: [req.policyNumber] }))[0];
  if (!found) throw new AppError('EVD_NOT_FOUND', `no policy ${req.policyNumber}`);
  const policy = { id: found.id, policy_number: found.policyNumber };
  if (req.sinceSize !== undefined) {
    // why: a consistency proof starts from a checkpoint the recipient holds, so from a size already signed.
    const signed = (await latestCheckpoint(db))?.treeSize ?? 0;
    if (req.sinceSize > signed) throw new AppError('BAD_REQUEST', `since ${req.sinceSize} is beyond the latest signed checkpoint (size ${signed})`);
  }
  const exportId = newId();
  const window = { from: req.from.toISOString(), to: req.to.toISOString() };
  const recordId = await recordAccess(db, deps.clock, {
    actor: req.actor, type: EVIDENCE_EXPORTED, action: 'export', policyId: policy.id,
    details: { exportId, policyId: policy.id, policyNumber: policy.policy_number, window },
  });
  const cp = await awaitCheckpointed(deps, recordId);
  const all = (await db.query<LinkRow>(
    `select pseq, interaction_id, from_seq, to_seq, head_hash, first_received_at, last_received_at, prev_hash, leaf_index::float8 as leaf_index
       from policy_chain_links where policy_id = $1 and leaf_index < $2 order by pseq`,
    [policy.id, cp.treeSize],
  )).rows;
  // why: the chain ends at the entry holding this export's record, so the verifier can tell nothing was cut off.
  const rec = (await db.query<{ interaction_id: string; seq: number }>('select interaction_id, seq from evidence_events where id = $1', [recordId])).rows[0]!;
  const end = all.findIndex((l) => l.interaction_id === rec.interaction_id && l.from_seq <= rec.seq && rec.seq <= l.to_seq);
  const links = all.slice(0, end + 1);
  const from = req.from.getTime();
  const to = req.to.getTime();
  const full = links.filter((l, i) => i === links.length - 1 || (l.first_received_at.getTime() <= to && l.last_received_at.getTime() >= from));
  const { rows: evRows } = await db.query(
    `select e.id, e.interaction_id, e.seq, e.type, e.schema_version, e.provider_ref, e.provider_time, e.received_at, e.payload,
            e.prev_hash, e.hash, l.leaf_index::float8 as leaf_index
       from unnest($1::uuid[], $2::int[], $3::int[]) as w(i, f, t)
       join evidence_events e on e.interaction_id = w.i and e.seq between w.f and w.t
       join evidence_log_leaves l on l.event_id = e.id
      order by e.interaction_id, e.seq`,
    [full.map((l) => l.interaction_id), full.map((l) => l.from_seq), full.map((l) => l.to_seq)],
  );
  const proof = await rangeProof(db, [...links.map((l) => l.leaf_index), ...evRows.map((e) => e.leaf_index as number)], cp.treeSize);
  const events: BundleEvent[] = evRows.map((e) => ({
    id: e.id, interactionId: e.interaction_id, seq: e.seq, type: e.type, schemaVersion: e.schema_version,
    providerRef: e.provider_ref, providerTime: e.provider_time ? (e.provider_time as Date).toISOString() : null,
    receivedAt: (e.received_at as Date).toISOString(), payload: e.payload, prevHash: e.prev_hash, hash: e.hash,
    leafIndex: e.leaf_index, leafHash: proof.leafHashes.get(e.leaf_index as number) ?? '',
  }));
  const chain = links.map((l) => ({
    policyId: policy.id, pseq: l.pseq, prev: l.prev_hash, interactionId: l.interaction_id, fromSeq: l.from_seq, toSeq: l.to_seq,
    head: l.head_hash, firstReceivedAt: l.first_received_at.toISOString(), lastReceivedAt: l.last_received_at.toISOString(),
    leafIndex: l.leaf_index, leafHash: proof.leafHashes.get(l.leaf_index) ?? '',
  }));
  const interactionIds = [...new Set(links.map((l) => l.interaction_id))];
  const { rows: interactions } = await db.query<{ id: string; kind: string; direction: string | null; started_at: Date }>(
    'select id, kind, direction, started_at from interactions where id = any($1::uuid[]) order by started_at, id',
    [interactionIds],
  );
  const bundle: Bundle = {
    'manifest.json': json({
      format: 'gw-evidence-bundle/v2', exportId, policy: { id: policy.id, number: policy.policy_number }, window,
      createdAt: deps.clock.now().toISOString(), treeSize: cp.treeSize, exportedBy: req.actor.name,
    }),
    'checkpoint.txt': cp.note,
    'public-key.txt': `${verifierKey(deps.signer.name, deps.signer.publicKey)}\n`,
    'policy-chain.json': json(chain),
    'log-proof.json': json({ treeSize: proof.treeSize, gaps: proof.gaps }),
    'events.json': json(events),
    'interactions.json': json(interactions.map((i) => ({ id: i.id, kind: i.kind, direction: i.direction, startedAt: i.started_at.toISOString() }))),
    'README.txt': bundleReadme({ policyNumber: policy.policy_number, ...window, exportId, treeSize: cp.treeSize, keyName: deps.signer.name }),
    'FORMAT.md': readFileSync(FORMAT_SOURCE, 'utf8'),
    'verify.mjs': readFileSync(VERIFIER_SOURCE, 'utf8'),
    'verify-proofs.mjs': readFileSync(PROOFS_SOURCE, 'utf8'),
  };
  if (req.sinceSize !== undefined) {
    const since = await checkpointAt(db, req.sinceSize);
    bundle['consistency.json'] = json({ ...(await consistencyProof(db, req.sinceSize, cp.treeSize)), earlierCheckpoint: since?.note ?? null });
  }
  for (const i of interactions) {
    const evs = events.filter((e) => e.interactionId === i.id);
    if (evs.length > 0 && i.kind !== 'audit') bundle[`transcripts/${i.id}.txt`] = renderTranscript(i, evs);
  }
  return bundle;
};
