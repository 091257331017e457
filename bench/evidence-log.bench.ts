/**
 * Evidence log benchmark, each figure beside a baseline from the same run:
 *  - sequencing throughput (events/s) vs hashing the same leaves in memory;
 *  - inclusion and consistency proof latency at 1,000,000 leaves (stored
 *    subtree hashes generated directly, not through the write path) vs one
 *    primary-key lookup;
 *  - verification throughput (chains + Merkle log recomputed from Postgres)
 *    vs raw SHA-256 of the same number of 200-byte messages;
 *  - export of a policy with 10,000 events, and the offline verifier on it.
 *
 *   npx tsx bench/evidence-log.bench.ts [EVENTS=200000] [TREE=1000000] [LIMIT_S=600]
 *
 * LIMIT_S bounds the whole run: past it the bench stops with exit code 2.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chainDrafts, emptyEvidenceColumns, evidenceParams, insertEvidenceSql } from '../src/evidence/chain-rows.js';
import { exportBundle } from '../src/evidence/export/export-bundle.js';
import { appendLeaves, type TreeNode } from '../src/evidence/merkle/compact-range.js';
import { consistencyPlan, hashLeaf, hashRanges, inclusionPlan } from '../src/evidence/merkle/rfc6962.js';
import { sequenceRound } from '../src/evidence/log/sequence-round.js';
import { nodeReader } from '../src/evidence/log/tree-store.js';
import { verifyChains } from '../src/evidence/verify-chains.js';
import { verifyLog } from '../src/evidence/verify-log.js';
import { GENESIS_HASH } from '../src/evidence/hash-chain.js';
import { systemClock } from '../src/shared/clock.js';
import { newId } from '../src/shared/ids.js';
import type { Db } from '../src/db/pool.js';
import { createTestDb } from '../test/support/test-db.js';
import { seedPolicyholder } from '../test/support/seed.js';
import { testSigner } from '../test/evidence/support.js';
import { EvidenceType } from '../src/evidence/evidence-event.js';

const EVENTS = Number(process.argv[2] ?? 200_000);
const TREE = Number(process.argv[3] ?? 1_000_000);
const LIMIT_S = Number(process.argv[4] ?? 600);
const signer = testSigner();
// why: a bench that hangs (a lock, a runaway tree size) must not hold a CI slot or a shared machine.
setTimeout(() => {
  process.stderr.write(`evidence bench exceeded ${LIMIT_S} s; stopped\n`);
  process.exit(2);
}, LIMIT_S * 1000).unref();
const secs = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const line = (label: string, value: string) => process.stdout.write(`${label.padEnd(58)} ${value}\n`);

/** Writes `perInteraction`-event chains for `interactions` interactions through the real chain code, in big statements. */
const writeChains = async (db: Db, interactions: number, perInteraction: number, link: { policyId?: string } = {}) => {
  const ids = Array.from({ length: interactions }, () => newId());
  await db.query(
    `insert into interactions (id, kind, policy_id, started_at) select id, 'call', $2, now() from unnest($1::uuid[]) id`,
    [ids, link.policyId ?? null],
  );
  const heads: { seq: number; hash: string }[] = [];
  for (let i = 0; i < ids.length; i += Math.max(1, Math.floor(5_000 / perInteraction))) {
    const chunk = ids.slice(i, i + Math.max(1, Math.floor(5_000 / perInteraction)));
    const cols = emptyEvidenceColumns();
    for (const id of chunk) {
      const drafts = Array.from({ length: perInteraction }, (_, k) => ({
        type: k % 2 ? EvidenceType.IVR_INPUT : EvidenceType.IVR_PROMPT,
        payload: k % 2 ? { step: 'menu', digits: String(k % 10) } : { said: ['Press 1 to pay your premium, 2 for billing.'], gather: { expect: 'menu' } },
      }));
      heads.push(chainDrafts(id, { seq: 0, hash: GENESIS_HASH }, drafts, systemClock.now(), cols));
    }
    await db.query(insertEvidenceSql(1), evidenceParams(cols));
  }
  await db.query(
    `update interactions i set evidence_seq = u.s, evidence_head = u.h from unnest($1::uuid[], $2::int[], $3::text[]) u(id, s, h) where i.id = u.id`,
    [ids, heads.map((h) => h.seq), heads.map((h) => h.hash)],
  );
};

const sequenceEverything = async (db: Db) => {
  const c = await db.connect();
  let n = 0;
  try {
    for (;;) {
      const r = await sequenceRound(c, { clock: systemClock, signer, origin: signer.name, batchSize: 10_000 });
      if (r.events === 0) return n;
      n += r.events;
    }
  } finally {
    c.release();
  }
};

const main = async () => {
  const t = await createTestDb();
  try {
    process.stdout.write(`Evidence log benchmark: ${fmt(EVENTS)} events, proofs at ${fmt(TREE)} leaves\n\n`);
    // 1. sequencing
    await writeChains(t.db, EVENTS / 10, 10);
    let t0 = process.hrtime.bigint();
    for (let i = 0; i < EVENTS; i++) hashLeaf(`{"eventId":"${i}","hash":"${'0'.repeat(64)}","interactionId":"x","seq":1,"t":"event","v":1}`);
    const hashRate = EVENTS / secs(t0);
    t0 = process.hrtime.bigint();
    const sequenced = await sequenceEverything(t.db);
    line('sequencing (rounds of 10,000, one transaction each)', `${fmt(sequenced / secs(t0))} events/s`);
    line('  baseline: leaf hashing alone, in memory', `${fmt(hashRate)} leaves/s`);

    // 2. verification
    t0 = process.hrtime.bigint();
    const chains = await verifyChains(t.db, { batchSize: 2_000 });
    const chainRate = chains.events / secs(t0);
    t0 = process.hrtime.bigint();
    const log = await verifyLog(t.db, signer);
    const logRate = log.leaves / secs(t0);
    if (chains.broken.length || log.findings.length) throw new Error('benchmark log does not verify');
    const msg = Buffer.alloc(200, 7);
    t0 = process.hrtime.bigint();
    for (let i = 0; i < EVENTS; i++) createHash('sha256').update(msg).digest();
    line('verification: chains recomputed from Postgres', `${fmt(chainRate)} events/s`);
    line('verification: Merkle log recomputed from Postgres', `${fmt(logRate)} leaves/s`);
    line('  baseline: raw SHA-256 of 200-byte messages', `${fmt(EVENTS / secs(t0))} hashes/s`);

    // 3. proofs at TREE leaves: subtree hashes generated in memory and bulk-loaded
    const gen = await createTestDb();
    try {
      t0 = process.hrtime.bigint();
      let range = { size: 0, nodes: [] as TreeNode[] };
      let batch: TreeNode[] = [];
      const flush = async () => {
        await gen.db.query('insert into evidence_tree_nodes select * from unnest($1::smallint[], $2::bigint[], $3::bytea[])', [
          batch.map((n) => n.level), batch.map((n) => n.index), batch.map((n) => n.hash),
        ]);
        batch = [];
      };
      for (let i = 0; i < TREE; i++) {
        const r = appendLeaves(range, [hashLeaf(`leaf ${i}`)]);
        range = r.range;
        batch.push(...r.created);
        if (batch.length >= 50_000) await flush();
      }
      if (batch.length) await flush();
      await gen.db.query('analyze evidence_tree_nodes');
      line(`  (generated and loaded ${fmt(TREE)}-leaf tree)`, `${secs(t0).toFixed(1)} s`);
      const read = nodeReader(gen.db);
      const lat = async (fn: () => Promise<unknown>, n: number) => {
        const s = process.hrtime.bigint();
        for (let i = 0; i < n; i++) await fn();
        return (secs(s) / n) * 1000;
      };
      let seed = 7;
      const rnd = (m: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % m);
      const incl = await lat(() => hashRanges(inclusionPlan(rnd(TREE), TREE), read), 300);
      const cons = await lat(() => hashRanges(consistencyPlan(1 + rnd(TREE - 1), TREE), read), 300);
      const pk = await lat(() => gen.db.query('select hash from evidence_tree_nodes where level = 0 and idx = $1', [rnd(TREE)]), 300);
      line(`inclusion proof at ${fmt(TREE)} leaves (one query)`, `${incl.toFixed(2)} ms`);
      line(`consistency proof at ${fmt(TREE)} leaves (one query)`, `${cons.toFixed(2)} ms`);
      line('  baseline: one primary-key lookup', `${pk.toFixed(2)} ms`);
    } finally {
      await gen.drop();
    }

    // 4. export of a policy with 10,000 events
    const holder = await seedPolicyholder(t.db, { firstName: 'Bench', phone: '+12025550199', policyNumber: 'BENCH-1' });
    await writeChains(t.db, 500, 20, { policyId: holder.policyId });
    await sequenceEverything(t.db);
    t0 = process.hrtime.bigint();
    const bundle = await exportBundle(
      { db: t.db, clock: systemClock, signer, kickSequencer: async () => void (await sequenceEverything(t.db)) },
      { policyNumber: 'BENCH-1', from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60_000), actor: { kind: 'cli', id: 'bench', name: 'bench', role: 'compliance' } },
    );
    const exportSecs = secs(t0);
    const dir = await mkdtemp(path.join(tmpdir(), 'gw-bench-'));
    for (const [f, c] of Object.entries(bundle)) {
      await mkdir(path.dirname(path.join(dir, f)), { recursive: true });
      await writeFile(path.join(dir, f), c);
    }
    const bytes = Object.values(bundle).reduce((s, c) => s + Buffer.byteLength(c), 0);
    t0 = process.hrtime.bigint();
    const v = spawnSync(process.execPath, [path.join(dir, 'verify.mjs')], { encoding: 'utf8' });
    const verifySecs = secs(t0);
    await rm(dir, { recursive: true, force: true });
    if (v.status !== 0) throw new Error(`bundle did not verify: ${v.stdout}`);
    line('export: policy with 10,000 events (500 calls)', `${exportSecs.toFixed(2)} s, ${(bytes / 1e6).toFixed(1)} MB = ${fmt(bytes / 10_000)} B/event`);
    line('offline verifier on that bundle (node verify.mjs)', `${verifySecs.toFixed(2)} s = ${fmt(10_000 / verifySecs)} events/s`);
  } finally {
    await t.drop();
  }
};

await main();
