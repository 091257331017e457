import type { Db } from '../db/pool.js';
import { CheckpointError, openCheckpoint } from './checkpoint.js';
import { LEAVES_SQL, LeafScan, type LogFinding } from './log/leaf-scan.js';
import { withSnapshot } from './snapshot-scan.js';

export type { LogFinding } from './log/leaf-scan.js';

export type LogReport = { leaves: number; checkpoints: number; findings: LogFinding[] };

/** A checkpoint someone saved earlier (an anchor, a recipient's copy), checked for a fork. */
export type SavedCheckpoint = { source: string; note: string };

const bytea = (v: string): Buffer => Buffer.from(v.slice(2), 'hex');

/**
 * Recomputes the whole Merkle log from the rows it commits to: every leaf
 * from its event (or policy chain entry), every signed checkpoint's root and
 * signature, the per-policy chains' continuity, and each saved checkpoint
 * (anchors, a recipient's copy) against the root this log has for that size,
 * which names a fork. One snapshot, one streaming pass over the leaves (the
 * tree is rebuilt, roots compared at checkpoint sizes: no per-leaf proofs),
 * each batch streamed (COPY) and hashed while Postgres writes the next rows; memory is
 * O(log n + policies + checkpoints).
 */
export const verifyLog = async (
  db: Db,
  key: { name: string; publicKey: Buffer },
  opts: { saved?: SavedCheckpoint[]; batchSize?: number } = {},
): Promise<LogReport> =>
  withSnapshot(db, async ({ query, copy }) => {
    const findings: LogFinding[] = [];
    const cps = (await query('select tree_size, root_hash, note from evidence_checkpoints order by tree_size', [])).map((r) => ({
      size: Number(r[0]), root: bytea(r[1]!), note: r[2]!,
    }));
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
    const scan = new LeafScan(new Set([...cps.map((c) => c.size), ...saved.map((s) => s.cp.size)]));
    const batch = opts.batchSize ?? 20_000;
    // why: each batch must stream in leaf order; on a small log the planner prefers hashing every event
    // and sorting, which sends nothing until all the work is done and leaves this process idle meanwhile.
    await query('set local enable_hashjoin = off; set local enable_sort = off', []);
    for (let from: number | null = 0; from !== null; ) {
      let rows = 0;
      let last: number = from;
      await copy(LEAVES_SQL(from, batch), (r) => {
        rows += 1;
        last = Number(r[0]);
        scan.row(r);
      });
      from = rows < batch ? null : last + 1;
    }
    await query('reset enable_hashjoin; reset enable_sort', []);
    findings.push(...scan.findings);
    const size = scan.size;
    const latest = cps[cps.length - 1]?.size ?? 0;
    if (size > latest) {
      findings.push({ leafIndex: latest, eventId: null, reason: `leaves ${latest}..${size - 1} are not covered by any signed checkpoint (inserted outside the sequencer)` });
    }
    findings.push(...checkpointFindings(cps, scan.rootsAt, size));
    for (const s of saved) findings.push(...savedFindings(s, cps, scan.rootsAt, size, scan.findings.length > 0));
    const orphans = await query(
      `select e.id from evidence_events e
        where not exists (select 1 from evidence_log_leaves l where l.event_id = e.id)
          and not exists (select 1 from evidence_unsequenced q where q.event_id = e.id) limit 100`,
      [],
    );
    for (const [id] of orphans) findings.push({ leafIndex: null, eventId: id!, reason: `event ${id} is neither in the log nor queued for it (inserted bypassing the gateway)` });
    return { leaves: size, checkpoints: cps.length, findings };
  });

type StoredCp = { size: number; root: Buffer };

/**
 * Signed checkpoints the leaves no longer produce, as ONE finding: after a leaf is changed every
 * later checkpoint fails, and the leaf findings already name what changed.
 */
const checkpointFindings = (cps: readonly StoredCp[], rootsAt: ReadonlyMap<number, Buffer>, size: number): LogFinding[] => {
  const out: LogFinding[] = [];
  const broken = cps.filter((c) => rootsAt.has(c.size) && !rootsAt.get(c.size)!.equals(c.root));
  if (broken.length === 1) out.push({ leafIndex: broken[0]!.size - 1, eventId: null, reason: `checkpoint of size ${broken[0]!.size}: the leaves no longer produce its root` });
  else if (broken.length > 1) {
    const [a, b] = [broken[0]!.size, broken[broken.length - 1]!.size];
    out.push({ leafIndex: a - 1, eventId: null, reason: `${broken.length} signed checkpoints (sizes ${a} to ${b}): the leaves no longer produce their roots (changed after signing; the leaves are named above)` });
  }
  for (const c of cps) if (!rootsAt.has(c.size)) out.push({ leafIndex: null, eventId: null, reason: `checkpoint of size ${c.size}: the log has fewer leaves (${size})` });
  return out;
};

/**
 * A saved checkpoint (anchor, recipient's copy) is a FORK only when the log signed another root
 * for its size: compared with the log's own signed checkpoint of that size, not with leaves that
 * may have been edited since (that edit is reported once, by leaf, not as one fork per anchor).
 */
const savedFindings = (
  s: SavedCheckpoint & { cp: { size: number; rootHash: Buffer } },
  cps: readonly StoredCp[],
  rootsAt: ReadonlyMap<number, Buffer>,
  size: number,
  leavesChanged: boolean,
): LogFinding[] => {
  const signed = cps.find((c) => c.size === s.cp.size);
  const fork = { leafIndex: null, eventId: null, reason: `FORK: saved checkpoint from ${s.source} signed another root for size ${s.cp.size}` };
  if (signed) return signed.root.equals(s.cp.rootHash) ? [] : [fork];
  const got = rootsAt.get(s.cp.size);
  if (!got) return [{ leafIndex: null, eventId: null, reason: `saved checkpoint from ${s.source} has size ${s.cp.size}, beyond this log (${size}): leaves were removed` }];
  if (got.equals(s.cp.rootHash)) return [];
  return leavesChanged
    ? [{ leafIndex: null, eventId: null, reason: `saved checkpoint from ${s.source} (size ${s.cp.size}, not among the log's own) no longer matches the leaves named above` }]
    : [fork];
};
