import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Db } from '../../src/db/pool.js';
import { ADMIN_URL, type TestDb } from '../support/test-db.js';
import { appendEvidence } from '../../src/evidence/append-evidence.js';
import type { EvidenceAnchor, AnchorRecord } from '../../src/evidence/anchor.js';
import { sequenceRound, type RoundResult } from '../../src/evidence/log/sequence-round.js';
import { createSigner, type EvidenceSigner } from '../../src/evidence/signer.js';
import type { Clock, createManualClock } from '../../src/shared/clock.js';
import { seedPolicyholder, type SeededHolder } from '../support/seed.js';
import { newId } from '../../src/shared/ids.js';
import type { EvidenceTypeName } from '../../src/evidence/evidence-event.js';

export const ORIGIN = 'test.retention-gateway/evidence';

/** A fixed key, so tests are repeatable. */
export const testSigner = (name = ORIGIN, seed = 'test-signing-key'): EvidenceSigner =>
  createSigner(name, createHash('sha256').update(seed).digest().toString('base64'));

/** An anchor that keeps checkpoints in memory. */
export const memoryAnchor = (): EvidenceAnchor & { records: AnchorRecord[] } => {
  const records: AnchorRecord[] = [];
  return {
    records,
    anchor: async ({ treeSize, note }) => {
      records.push({ treeSize, note, anchoredAt: new Date().toISOString() });
    },
    list: async () => [...records],
  };
};

export const newInteraction = async (
  db: Db,
  o: { kind?: string; policyId?: string | null; policyholderId?: string | null; from?: string; ref?: string } = {},
): Promise<string> => {
  const id = newId();
  await db.query(
    `insert into interactions (id, kind, provider_ref, from_e164, policy_id, policyholder_id, started_at)
     values ($1, $2, $3, $4, $5, $6, now())`,
    [id, o.kind ?? 'call', o.ref ?? null, o.from ?? null, o.policyId ?? null, o.policyholderId ?? null],
  );
  return id;
};

/** Appends `n` small events to an interaction, one statement each. */
export const addEvents = async (db: Db, clock: Clock, interactionId: string, n: number, type: EvidenceTypeName = 'call.status') => {
  for (let i = 0; i < n; i++) await appendEvidence(db, clock, interactionId, [{ type, payload: { i } }]);
};

/** Runs sequencing rounds on one pooled client until the queue is empty. */
export const sequenceAll = async (db: Db, clock: Clock, signer = testSigner()): Promise<RoundResult[]> => {
  const c = await db.connect();
  const out: RoundResult[] = [];
  try {
    for (;;) {
      const r = await sequenceRound(c, { clock, signer, origin: signer.name });
      if (r.events === 0) return out;
      out.push(r);
    }
  } finally {
    c.release();
  }
};

/** Tamper as a superuser would: with triggers (and foreign keys) off for this session only. */
export const tamper = async (db: Db, sql: string, params: unknown[] = []) => {
  const c = await db.connect();
  try {
    await c.query('set session_replication_role = replica');
    await c.query(sql, params);
  } finally {
    await c.query('set session_replication_role = origin');
    c.release();
  }
};

/** Leaf indices in order, to check "0..n-1 exactly once". */
export const leafIndices = async (db: Db): Promise<number[]> =>
  (await db.query<{ i: number }>('select leaf_index::int as i from evidence_log_leaves order by leaf_index')).rows.map((r) => r.i);

/**
 * Ends the pool, waits until Postgres has seen every connection close, then
 * drops the database. why: `drop ... with (force)` terminates backends whose
 * clients are still closing, and pg then emits an error nobody listens to.
 */
export const dropWhenIdle = async (t: TestDb): Promise<void> => {
  await t.db.end().catch(() => undefined);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [t.name]);
      if (rows[0]!.n === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await admin.end();
  }
  await t.drop();
};

/**
 * The export scenario both bundle tests use: an older call of the policy (outside the window), a
 * call in the window identified mid-call (its last prompt as given), an SMS thread of the holder
 * with a consent change, and an unrelated call; all sequenced.
 */
export const seedExportScenario = async (
  db: Db,
  clock: ReturnType<typeof createManualClock>,
  o: { policyNumber: string; lastPrompt: Record<string, unknown> },
): Promise<SeededHolder> => {
  const holder = await seedPolicyholder(db, { firstName: 'Maria', phone: '+12025550143', policyNumber: o.policyNumber });
  const old = await newInteraction(db, { policyId: holder.policyId, policyholderId: holder.policyholderId });
  await appendEvidence(db, clock, old, [{ type: 'call.status', payload: { CallStatus: 'completed' } }]);
  await sequenceAll(db, clock);
  clock.set('2026-11-05T10:00:00Z');
  const call = await newInteraction(db, { ref: 'CA1', from: holder.phone });
  await appendEvidence(db, clock, call, [
    { type: 'ivr.prompt', payload: { said: ['Welcome to Harbor Mutual.', 'Enter your policy number.'], gather: { expect: 'policy' } } },
  ]);
  await sequenceAll(db, clock);
  clock.advance(20_000);
  await db.query('update interactions set policy_id = $1, policyholder_id = $2 where id = $3', [holder.policyId, holder.policyholderId, call]);
  await appendEvidence(db, clock, call, [
    { type: 'ivr.input', providerRef: 'CA1', providerTime: new Date('2026-11-05T10:00:19Z'), payload: { step: 'policy', digits: '100', noInput: false } },
    { type: 'flow.transition', payload: { from: 'identify', to: 'menu', event: 'POLICY_LOOKUP' } },
    { type: 'ivr.prompt', payload: o.lastPrompt },
  ]);
  const sms = await newInteraction(db, { kind: 'sms-thread', policyholderId: holder.policyholderId });
  await appendEvidence(db, clock, sms, [{ type: 'consent.changed', payload: { channel: 'sms', granted: false, keyword: 'STOP' } }]);
  await appendEvidence(db, clock, await newInteraction(db), [{ type: 'call.status', payload: { CallStatus: 'busy' } }]);
  await sequenceAll(db, clock);
  return holder;
};
