import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { appendEvidence } from '../../src/evidence/append-evidence.js';
import { exportBundle, type Bundle } from '../../src/evidence/export/export-bundle.js';
import { verifyBundle } from '../../src/evidence/export/verify-bundle.mjs';
import { rangeProof } from '../../src/evidence/log/range-proof.js';
import { createManualClock } from '../../src/shared/clock.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { seedPolicyholder } from '../support/seed.js';
import { dropWhenIdle, newInteraction, sequenceAll, testSigner } from './support.js';

// Tampering as a recipient (or someone between the gateway and them) could: every change to what the
// verdict rests on must be refused, and the refusal must name the event, entry, field or file.

type Ev = { id: string; interactionId: string; seq: number; type: string; payload: Record<string, unknown>; receivedAt: string; leafIndex: number; [k: string]: unknown };
type Link = { pseq: number; leafIndex: number; [k: string]: unknown };

let t: TestDb;
let base: Bundle;
let root: string;
let cases = 0;
const clock = createManualClock('2026-11-02T09:00:00Z');
const signer = testSigner();
const actor = { kind: 'cli' as const, id: 'test', name: 'tester', role: 'compliance' };

before(async () => {
  t = await createTestDb();
  root = mkdtempSync(path.join(tmpdir(), 'gw-tamper-'));
  const holder = await seedPolicyholder(t.db, { firstName: 'James', phone: '+12025550143', policyNumber: 'TMP-A' });
  await seedPolicyholder(t.db, { firstName: 'Other', phone: '+12025550199', policyNumber: 'TMP-B' });
  const link = { policyId: holder.policyId, policyholderId: holder.policyholderId };
  await appendEvidence(t.db, clock, await newInteraction(t.db, link), [{ type: 'call.status', payload: { CallStatus: 'completed' } }]);
  clock.set('2026-11-05T10:00:00Z');
  const call = await newInteraction(t.db, { ...link, ref: 'CA1', from: holder.phone });
  await appendEvidence(t.db, clock, call, [{ type: 'ivr.prompt', payload: { said: ['Your premium of $120.00 is due.'] } }]);
  clock.advance(20_000);
  await appendEvidence(t.db, clock, call, [
    { type: 'ivr.input', payload: { step: 'menu', digits: '1', noInput: false } },
    { type: 'payment.result', payload: { amountCents: 12000, status: 'succeeded', confirmation: 'HM-7731' } },
  ]);
  clock.set('2026-11-05T15:00:00Z');
  await appendEvidence(t.db, clock, await newInteraction(t.db, { kind: 'sms-thread', policyholderId: holder.policyholderId }), [
    { type: 'consent.changed', payload: { channel: 'sms', granted: false, keyword: 'STOP' } },
  ]);
  await sequenceAll(t.db, clock);
  clock.set('2026-11-10T09:00:00Z');
  base = await exportBundle(
    { db: t.db, clock, signer, kickSequencer: async () => void (await sequenceAll(t.db, clock)) },
    { policyNumber: 'TMP-A', from: new Date('2026-11-05T00:00:00Z'), to: new Date('2026-11-06T00:00:00Z'), actor },
  );
  writeBundle(base, path.join(root, 'base'));
});
after(async () => {
  rmSync(root, { recursive: true, force: true });
  await dropWhenIdle(t);
});

function writeBundle(files: Bundle, dir: string) {
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), content);
  }
}
/** The base bundle with some files replaced, verified offline as the recipient would. */
const verifyWith = (changed: Bundle) => {
  const dir = path.join(root, `case-${cases++}`);
  cpSync(path.join(root, 'base'), dir, { recursive: true });
  writeBundle(changed, dir);
  const r = verifyBundle(dir);
  rmSync(dir, { recursive: true, force: true });
  return { ...r, text: r.problems.join('\n') };
};
const events = (): Ev[] => JSON.parse(base['events.json']!);
const chain = (): Link[] => JSON.parse(base['policy-chain.json']!);
const manifest = () => JSON.parse(base['manifest.json']!);
const js = (v: unknown) => `${JSON.stringify(v)}\n`;

test('the untouched bundle verifies and says which policy and window were proven, and what no hash covers', () => {
  const r = verifyWith({});
  assert.ok(r.ok, r.text);
  assert.deepEqual([r.proven?.policyNumber, r.proven?.from, r.proven?.to], ['TMP-A', '2026-11-05T00:00:00.000Z', '2026-11-06T00:00:00.000Z']);
  assert.ok(r.facts.some((f) => /Not covered by any hash.*interactions\.json/.test(f)), r.facts.join('\n'));
  assert.match(base['README.txt']!, /interactions\.json[^]*not covered by any hash/);
});

test('a second copy of an event with altered content is refused, naming the event', () => {
  const evs = events();
  const pay = evs.find((e) => e.type === 'payment.result')!;
  const r = verifyWith({ 'events.json': js([...evs, { ...pay, payload: { ...pay.payload, amountCents: 1 } }]) });
  assert.equal(r.ok, false);
  assert.match(r.text, new RegExp(`${pay.id}.*more than once`));
});

test('the manifest naming another policy is refused: the signed export record says which policy', () => {
  const m = manifest();
  const r = verifyWith({ 'manifest.json': js({ ...m, policy: { ...m.policy, number: 'TMP-B' } }) });
  assert.equal(r.ok, false);
  assert.match(r.text, /manifest\.json policy\.number is "TMP-B", but the signed export record says "TMP-A"/);
});

test('a window moved past the payment, its events deleted and the range proof recomputed, is refused', async () => {
  const m = manifest();
  const from = '2026-11-05T12:00:00.000Z';
  const kept = events().filter((e) => e.type === 'evidence.exported' || Date.parse(e.receivedAt) >= Date.parse(from));
  // why: the attacker can recompute the gap hashes from the bundle's own leaf hashes; the stored tree gives the same ones.
  const proof = await rangeProof(t.db, [...chain().map((l) => l.leafIndex), ...kept.map((e) => e.leafIndex)], m.treeSize);
  const r = verifyWith({
    'manifest.json': js({ ...m, window: { ...m.window, from } }),
    'events.json': js(kept),
    'log-proof.json': js({ treeSize: proof.treeSize, gaps: proof.gaps }),
  });
  assert.equal(r.ok, false);
  assert.match(r.text, /manifest\.json window\.from is "2026-11-05T12:00:00\.000Z", but the signed export record says "2026-11-05T00:00:00\.000Z"/);
  assert.match(r.text, /is MISSING from the bundle/);
});

// ---- property-style: random tampers, each refused with what was touched named ----

/** mulberry32: a small seeded generator, so a failing case replays (the seed and case are in the message). */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};
type Rand = ReturnType<typeof rng>;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** A different value of the same kind, so the change is never a no-op. */
const changed = (r: Rand, v: unknown): unknown => {
  if (typeof v === 'number') return v + 1 + Math.floor(r() * 5);
  if (v === null) return '2026-11-05T10:00:00.000Z';
  if (typeof v === 'string') {
    if (/^[0-9a-f]{64}$/.test(v)) return `${v.slice(0, 10)}${v[10] === 'a' ? 'b' : 'a'}${v.slice(11)}`;
    if (!Number.isNaN(Date.parse(v)) && /T/.test(v)) return new Date(Date.parse(v) - 1000 - Math.floor(r() * 1e6)).toISOString();
    const i = Math.floor(r() * v.length);
    return `${v.slice(0, i)}${v[i] === 'x' ? 'y' : 'x'}${v.slice(i + 1)}`;
  }
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const keys = Object.keys(v);
    const k = keys.length ? pick(r, keys) : 'added';
    return { ...v, [k]: k in v ? changed(r, (v as Record<string, unknown>)[k]) : 1 };
  }
  return 'tampered';
};

type Tamper = { what: string; files: Bundle; names: RegExp };
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const TAMPERS: ((r: Rand) => Tamper)[] = [
  (r) => {
    const evs = events();
    const e = pick(r, evs);
    const field = pick(r, Object.keys(e).filter((f) => f !== 'leafIndex'));
    const next = changed(r, e[field]);
    const named = field === 'id' ? `${esc(String(next))}|${esc(e.id)}` : field === 'interactionId' ? `${esc(e.id)}|${esc(String(next))}` : esc(e.id);
    return { what: `event ${e.id} field ${field}`, files: { 'events.json': js(evs.map((x) => (x === e ? { ...x, [field]: next } : x))) }, names: new RegExp(named) };
  },
  (r) => {
    const evs = events();
    const e = pick(r, evs);
    return { what: `event ${e.leafIndex} leafIndex`, files: { 'events.json': js(evs.map((x) => (x === e ? { ...x, leafIndex: x.leafIndex + 1 } : x))) }, names: /log-proof\.json, leafIndex/ };
  },
  (r) => {
    const evs = events();
    const e = pick(r, evs);
    const copy = r() < 0.5 ? e : { ...e, payload: changed(r, e.payload) };
    const at = Math.floor(r() * (evs.length + 1));
    return { what: `duplicate of ${e.id} at ${at}`, files: { 'events.json': js([...evs.slice(0, at), copy, ...evs.slice(at)]) }, names: new RegExp(`${esc(e.id)}.*more than once|seq ${e.seq} of interaction ${esc(e.interactionId)}`) };
  },
  (r) => {
    const evs = events();
    const i = Math.floor(r() * (evs.length - 1));
    const j = i + 1 + Math.floor(r() * (evs.length - 1 - i));
    const out = [...evs];
    [out[i], out[j]] = [out[j]!, out[i]!];
    return { what: `swap ${i} ${j}`, files: { 'events.json': js(out) }, names: /events\.json is out of order at entry/ };
  },
  (r) => {
    const evs = events();
    const e = pick(r, evs);
    return { what: `drop ${e.id}`, files: { 'events.json': js(evs.filter((x) => x !== e)) }, names: new RegExp(`seq ${e.seq} of interaction ${esc(e.interactionId)} is MISSING|access record of export`) };
  },
  (r) => {
    const f = pick(r, ['manifest.json', 'policy-chain.json', 'events.json', 'log-proof.json']);
    const text = base[f]!.trimEnd();
    return { what: `truncate ${f}`, files: { [f]: text.slice(0, 1 + Math.floor(r() * (text.length - 2))) }, names: new RegExp(`${esc(f)} is not valid JSON`) };
  },
  (r) => {
    const m = manifest();
    const [field, next] = pick(r, [
      ['policy.number', { ...m, policy: { ...m.policy, number: 'TMP-B' } }],
      ['policy.id', { ...m, policy: { ...m.policy, id: changed(r, m.policy.id) } }],
      ['window.from', { ...m, window: { ...m.window, from: changed(r, m.window.from) } }],
      ['window.to', { ...m, window: { ...m.window, to: changed(r, m.window.to) } }],
      ['exportId', { ...m, exportId: changed(r, m.exportId) }],
      ['treeSize', { ...m, treeSize: m.treeSize + 1 }],
      ['exportedBy', { ...m, exportedBy: 'someone else' }],
    ] as const);
    return { what: `manifest ${field}`, files: { 'manifest.json': js(next) }, names: new RegExp(`manifest\\.json ${esc(field)}|\\(manifest\\.json ${esc(field)}\\)`) };
  },
  (r) => {
    const links = chain();
    const l = pick(r, links);
    const field = pick(r, Object.keys(l).filter((f) => f !== 'leafIndex'));
    return { what: `chain #${l.pseq} ${field}`, files: { 'policy-chain.json': js(links.map((x) => (x === l ? { ...x, [field]: changed(r, x[field]) } : x))) }, names: /policy chain entry #|policy-chain\.json entry/ };
  },
  (r) => {
    const links = chain();
    const i = Math.floor(r() * links.length);
    const out = r() < 0.5 ? links.filter((_, k) => k !== i) : [...links.slice(0, i), links[i]!, ...links.slice(i)];
    return { what: `chain drop/duplicate ${i}`, files: { 'policy-chain.json': js(out) }, names: /policy chain entry #|access record of export/ };
  },
  (r) => {
    const p = JSON.parse(base['log-proof.json']!) as { treeSize: number; gaps: string[] };
    const i = Math.floor(r() * p.gaps.length);
    const gaps = p.gaps.map((g, k) => (k === i ? Buffer.alloc(32, 7).toString('base64') : g));
    return { what: `gap ${i}`, files: { 'log-proof.json': js({ ...p, gaps }) }, names: /log-proof\.json/ };
  },
  (r) => {
    const note = base['checkpoint.txt']!;
    const lines = note.split('\n');
    const i = Math.floor(r() * 3);
    lines[i] = String(changed(r, i === 1 ? Number(lines[i]) : lines[i]));
    return { what: `checkpoint line ${i}`, files: { 'checkpoint.txt': lines.join('\n') }, names: /checkpoint cannot be trusted/ };
  },
];

test('200 random tampers of events, chain, manifest, proof and checkpoint: every one is refused, naming what was touched', () => {
  const seed = Number(process.env.TAMPER_SEED ?? 20261203);
  const r = rng(seed);
  for (let n = 0; n < 200; n++) {
    const t = pick(r, TAMPERS)(r);
    const v = verifyWith(t.files);
    assert.equal(v.ok, false, `seed ${seed} case ${n} (${t.what}) was accepted`);
    assert.match(v.text, t.names, `seed ${seed} case ${n} (${t.what}) was refused without naming it`);
  }
});
