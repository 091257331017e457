import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { appendEvidence } from '../../src/evidence/append-evidence.js';
import { signCheckpoint } from '../../src/evidence/checkpoint.js';
import { exportBundle, type Bundle } from '../../src/evidence/export/export-bundle.js';
import { latestCheckpoint } from '../../src/evidence/log/tree-store.js';
import { createManualClock } from '../../src/shared/clock.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import type { SeededHolder } from '../support/seed.js';
import { dropWhenIdle, newInteraction, seedExportScenario, ORIGIN, sequenceAll, testSigner } from './support.js';

let t: TestDb;
let holder: SeededHolder;
let dir: string;
const clock = createManualClock('2026-11-02T09:00:00Z');
const signer = testSigner();
const actor = { kind: 'cli' as const, id: 'test', name: 'tester', role: 'compliance' };
const deps = () => ({ db: t.db, clock, signer, kickSequencer: async () => void (await sequenceAll(t.db, clock)) });

before(async () => {
  t = await createTestDb();
  dir = await mkdtemp(path.join(tmpdir(), 'gw-bundle-'));
  holder = await seedExportScenario(t.db, clock, {
    policyNumber: 'EXP-100',
    lastPrompt: { said: ['Press 1 to pay your premium.'], gather: { expect: 'menu' } },
  });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await dropWhenIdle(t);
});

const write = async (bundle: Bundle, name: string) => {
  const d = path.join(dir, name);
  for (const [f, content] of Object.entries(bundle)) {
    await mkdir(path.dirname(path.join(d, f)), { recursive: true });
    await writeFile(path.join(d, f), content);
  }
  return d;
};
const runVerifier = (d: string, ...args: string[]) => {
  const r = spawnSync(process.execPath, [path.join(d, 'verify.mjs'), ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
};
const exportWindow = (sinceSize?: number) =>
  exportBundle(deps(), { policyNumber: 'EXP-100', from: new Date('2026-11-05T00:00:00Z'), to: new Date('2026-11-06T00:00:00Z'), actor, ...(sinceSize ? { sinceSize } : {}) });

test('export then offline verification round-trips; the export itself is in the log', async () => {
  const bundle = await exportWindow();
  const d = await write(bundle, 'ok');
  const r = runVerifier(d);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /VERDICT: VERIFIED/);
  const events = JSON.parse(bundle['events.json']!) as { type: string }[];
  assert.deepEqual(
    events.map((e) => e.type).filter((x) => x !== 'evidence.exported').sort(),
    ['consent.changed', 'flow.transition', 'ivr.input', 'ivr.prompt', 'ivr.prompt'],
    'the window holds the identified call (its pre-identification prompt too) and the SMS consent change, not the old call',
  );
  const chain = JSON.parse(bundle['policy-chain.json']!) as unknown[];
  assert.ok(chain.length >= 4, 'old call entry (hash only), call, sms, export record');
  const transcript = Object.entries(bundle).find(([f]) => f.startsWith('transcripts/'))![1];
  assert.match(transcript, /CALLER HEARD: Welcome to Harbor Mutual/);
  assert.match(transcript, /pressed\/said: 100/);
  assert.match(transcript, /carrier 2026-11-05T10:00:19.000Z/);
  const { rows } = await t.db.query(`select payload from evidence_events where type = 'evidence.exported'`);
  assert.equal(rows.length, 1);
});

test('a bundle with one event removed, edited, inserted, or a chain entry removed fails and names it', async () => {
  const bundle = await exportWindow();
  const events = JSON.parse(bundle['events.json']!) as { id: string; type: string; payload: unknown }[];
  const victim = events.find((e) => e.type === 'ivr.input')!;
  const cases: [string, (b: Bundle) => Bundle, RegExp][] = [
    ['removed', (b) => ({ ...b, 'events.json': JSON.stringify(events.filter((e) => e.id !== victim.id)) }), /seq \d+ of interaction .* is MISSING/],
    ['edited', (b) => ({ ...b, 'events.json': JSON.stringify(events.map((e) => (e.id === victim.id ? { ...e, payload: { step: 'policy', digits: '999' } } : e))) }), new RegExp(`event ${victim.id} \\(ivr.input, seq \\d+\\) was ALTERED`)],
    ['inserted', (b) => ({ ...b, 'events.json': JSON.stringify([...events, { ...victim, id: 'forged-1', seq: 99 }]) }), /event forged-1 .* inserted/],
    ['chain entry removed', (b) => ({ ...b, 'policy-chain.json': JSON.stringify((JSON.parse(b['policy-chain.json']!) as unknown[]).filter((_, i) => i !== 1)) }), /entry #\d+ does not follow/],
    ['leaf moved', (b) => ({ ...b, 'events.json': JSON.stringify(events.map((e) => (e.id === victim.id ? { ...e, leafIndex: (e as unknown as { leafIndex: number }).leafIndex + 1 } : e))) }), /not proven to be in the signed log/],
    ['leaf hash swapped', (b) => ({ ...b, 'events.json': JSON.stringify(events.map((e) => (e.id === victim.id ? { ...e, leafHash: Buffer.alloc(32, 1).toString('base64') } : e))) }), new RegExp(`event ${victim.id} is not in the signed log: its content differs`)],
    ['range proof cut', (b) => ({ ...b, 'log-proof.json': JSON.stringify({ ...(JSON.parse(b['log-proof.json']!) as object), gaps: (JSON.parse(b['log-proof.json']!) as { gaps: string[] }).gaps.slice(1) }) }), /not proven to be in the signed log/],
    ['tail cut', (b) => ({ ...b, 'policy-chain.json': JSON.stringify((JSON.parse(b['policy-chain.json']!) as unknown[]).slice(0, -1)) }), /does not end with the access record of export/],
  ];
  for (const [name, mutate, why] of cases) {
    const r = runVerifier(await write(mutate(bundle), `bad-${name.replaceAll(' ', '-')}`));
    assert.equal(r.code, 1, `${name}: ${r.out}`);
    assert.match(r.out, why, name);
    assert.match(r.out, /NOT VERIFIED/);
  }
});

test('consistency with an earlier checkpoint the recipient holds; a forked earlier checkpoint is caught', async () => {
  const earlier = await latestCheckpoint(t.db);
  await appendEvidence(t.db, clock, await newInteraction(t.db, { policyId: holder.policyId }), [{ type: 'call.status', payload: { CallStatus: 'completed' } }]);
  const bundle = await exportWindow(earlier!.treeSize);
  const d = await write(bundle, 'since');
  await writeFile(path.join(dir, 'earlier.txt'), earlier!.note);
  const ok = runVerifier(d, '--checkpoint', path.join(dir, 'earlier.txt'));
  assert.equal(ok.code, 0, ok.out);
  assert.match(ok.out, /only grew since your earlier checkpoint/);
  const forked = signCheckpoint({ origin: ORIGIN, size: earlier!.treeSize, rootHash: Buffer.alloc(32, 9) }, signer);
  await writeFile(path.join(dir, 'forked.txt'), forked);
  const bad = runVerifier(d, '--checkpoint', path.join(dir, 'forked.txt'));
  assert.equal(bad.code, 1);
  assert.match(bad.out, /NOT consistent with your earlier checkpoint/);
  const wrongKey = runVerifier(d, '--key', 'other+00000000+AQ' + 'A'.repeat(42) + '=');
  assert.equal(wrongKey.code, 1);
  assert.ok((await readFile(path.join(d, 'README.txt'), 'utf8')).includes('node verify.mjs'));
});
