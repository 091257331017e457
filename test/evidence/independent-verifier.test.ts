import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { exportBundle, type Bundle } from '../../src/evidence/export/export-bundle.js';
import { verifyBundle } from '../../src/evidence/export/verify-bundle.mjs';
import { createManualClock } from '../../src/shared/clock.js';
import { jcs, verifyIndependently } from '../support/independent-bundle-verifier.js';
import { createTestDb, type TestDb } from '../support/test-db.js';
import { dropWhenIdle, seedExportScenario, sequenceAll, testSigner } from './support.js';

/**
 * A verifier written from bundle-format.md alone (test/support/independent-bundle-verifier.ts)
 * and the shipped one must reach the same verdict on a real bundle and on every tamper:
 * where they differ, the document is not exact.
 */

let t: TestDb;
let dir: string;
let bundle: Bundle;
let later: Bundle; // exported after `bundle`, with a consistency proof from its checkpoint
const clock = createManualClock('2026-11-02T09:00:00Z');
const signer = testSigner();
const actor = { kind: 'cli' as const, id: 'test', name: 'tester', role: 'compliance' };
const deps = () => ({ db: t.db, clock, signer, kickSequencer: async () => void (await sequenceAll(t.db, clock)) });
const WINDOW = { from: '2026-11-05T00:00:00.000Z', to: '2026-11-06T00:00:00.000Z' };

before(async () => {
  t = await createTestDb();
  dir = await mkdtemp(path.join(tmpdir(), 'gw-indep-'));
  await seedExportScenario(t.db, clock, {
    policyNumber: 'IND-100',
    // strings and numbers RFC 8785 cares about: non-ASCII, astral, control characters, key order by UTF-16, exponents
    lastPrompt: { said: ['Press 1 to pay your premium. Drücken Sie 1 — 😀 "q" \\ \u0001\n'], gather: { expect: 'menu' }, '\u00e9': 1, 'a\u{1F600}': 2, 'a\uff61': 3, n: [1e21, 1.5e-7, -0, 0.1, 123456789012] },
  });
  clock.advance(60_000);
  bundle = await exportBundle(deps(), { policyNumber: 'IND-100', from: new Date(WINDOW.from), to: new Date(WINDOW.to), actor });
  clock.advance(60_000);
  const sinceSize = Number(bundle['checkpoint.txt']!.split('\n')[1]);
  later = await exportBundle(deps(), { policyNumber: 'IND-100', from: new Date(WINDOW.from), to: new Date(WINDOW.to), actor, sinceSize });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
  await dropWhenIdle(t);
});

let n = 0;
const write = async (b: Bundle) => {
  const d = path.join(dir, `b${n++}`);
  for (const [f, content] of Object.entries(b)) {
    await mkdir(path.dirname(path.join(d, f)), { recursive: true });
    await writeFile(path.join(d, f), content);
  }
  return d;
};

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = (b: Bundle, f: string): J => JSON.parse(b[f]!) as J;
/** A copy of the bundle with JSON file `f` rewritten by `edit` (pretty-printed as the export does). */
const withJson = (f: string, edit: (v: J) => J | void): Bundle => {
  const v = json(bundle, f);
  const out = edit(v) ?? v;
  return { ...bundle, [f]: JSON.stringify(out, null, 2) + '\n' };
};

const bothVerdicts = async (b: Bundle, opts: { key?: string; earlierCheckpoint?: string } = {}) => {
  const d = await write(b);
  return { mine: verifyIndependently(d, opts), shipped: verifyBundle(d, opts) };
};

test('a real bundle: both verifiers accept it and prove the same policy and window', async () => {
  const { mine, shipped } = await bothVerdicts(bundle);
  assert.deepEqual(mine.problems, []);
  assert.equal(mine.ok, true);
  assert.equal(shipped.ok, true, shipped.problems.join('\n'));
  assert.deepEqual(mine.proven, { policyNumber: 'IND-100', from: WINDOW.from, to: WINDOW.to });
  assert.deepEqual(
    { policyNumber: shipped.proven!.policyNumber, from: shipped.proven!.from, to: shipped.proven!.to },
    mine.proven,
  );
  // the bundle really exercises what the document describes
  const events = json(bundle, 'events.json') as J[];
  assert.ok(events.some((e) => e.type === 'evidence.exported'));
  assert.ok(events.some((e) => e.providerRef !== null && e.providerTime !== null));
  assert.ok((json(bundle, 'log-proof.json').gaps as string[]).length > 0);
});

const inWindow = (e: J) => e.receivedAt >= WINDOW.from && e.receivedAt <= WINDOW.to && e.type !== 'evidence.exported';

const tampers: [string, () => Bundle][] = [
  [
    'an event payload altered',
    () =>
      withJson('events.json', (es) => {
        const e = (es as J[]).find((x) => x.type === 'ivr.input')!;
        e.payload.digits = '999';
      }),
  ],
  ['an event dropped', () => withJson('events.json', (es) => (es as J[]).filter((e) => e.type !== 'flow.transition'))],
  [
    'an event duplicated with altered content',
    () =>
      withJson('events.json', (es) => {
        const list = es as J[];
        const i = list.findIndex((e) => e.type === 'flow.transition');
        const copy = structuredClone(list[i]!);
        copy.payload.to = 'payment';
        list.splice(i + 1, 0, copy);
      }),
  ],
  [
    'two events reordered',
    () =>
      withJson('events.json', (es) => {
        const list = es as J[];
        const i = list.findIndex((e) => e.type === 'ivr.input');
        [list[i], list[i + 1]] = [list[i + 1]!, list[i]!];
      }),
  ],
  ['manifest policy number changed', () => withJson('manifest.json', (m) => void (m.policy.number = 'IND-999'))],
  ['manifest window moved', () => withJson('manifest.json', (m) => void (m.window.from = '2026-11-01T00:00:00.000Z'))],
  ['a chain entry dropped', () => withJson('policy-chain.json', (c) => (c as J[]).filter((_, i) => i !== 1))],
  [
    'one bit of a gap hash flipped',
    () =>
      withJson('log-proof.json', (p) => {
        const g = Buffer.from(p.gaps[0] as string, 'base64');
        g[0]! ^= 1;
        p.gaps[0] = g.toString('base64');
      }),
  ],
  [
    'checkpoint root changed',
    () => {
      const [origin, size, root, ...rest] = bundle['checkpoint.txt']!.split('\n');
      const r = Buffer.from(root!, 'base64');
      r[31]! ^= 0x80;
      return { ...bundle, 'checkpoint.txt': [origin, size, r.toString('base64'), ...rest].join('\n') };
    },
  ],
  ['events.json truncated', () => ({ ...bundle, 'events.json': bundle['events.json']!.slice(0, Math.floor(bundle['events.json']!.length / 2)) })],
  ['policy-chain.json truncated', () => ({ ...bundle, 'policy-chain.json': bundle['policy-chain.json']!.slice(0, -40) })],
  [
    'window moved in the manifest and the in-window events deleted, nothing recomputed',
    () => {
      const b = withJson('manifest.json', (m) => void (m.window = { from: '2026-11-01T00:00:00.000Z', to: '2026-11-03T00:00:00.000Z' }));
      const es = (json(bundle, 'events.json') as J[]).filter((e) => !inWindow(e));
      return { ...b, 'events.json': JSON.stringify(es, null, 2) + '\n' };
    },
  ],
  ['in-window events deleted, nothing recomputed', () => withJson('events.json', (es) => (es as J[]).filter((e) => !inWindow(e)))],
  [
    'an event edited with every hash, leaf and gap recomputed, but without the signing key',
    () => {
      const edited = forge(withJson('events.json', (es) => void ((es as J[]).find((x) => x.type === 'consent.changed')!.payload.granted = true)));
      return { ...edited, 'checkpoint.txt': bundle['checkpoint.txt']! };
    },
  ],
  ['an unknown field on an event', () => withJson('events.json', (es) => void ((es as J[])[0]!.note = 'x'))],
  ['an unknown field on a chain entry', () => withJson('policy-chain.json', (c) => void ((c as J[])[0]!.note = 'x'))],
  ['manifest exportedBy changed', () => withJson('manifest.json', (m) => void (m.exportedBy = 'someone else'))],
  ['manifest treeSize changed', () => withJson('manifest.json', (m) => void (m.treeSize = (m.treeSize as number) - 1))],
  ['manifest exportId changed', () => withJson('manifest.json', (m) => void (m.exportId = 'not-the-export'))],
  ['log-proof gap dropped', () => withJson('log-proof.json', (p) => void (p.gaps as string[]).pop())],
  ['log-proof gap added', () => withJson('log-proof.json', (p) => void (p.gaps as string[]).push((p.gaps as string[])[0]!))],
  ['public key replaced by garbage', () => ({ ...bundle, 'public-key.txt': 'x+00000000+AAAA\n' })],
];

for (const [name, make] of tampers) {
  test(`tamper: ${name} - both verifiers refuse it`, async () => {
    const { mine, shipped } = await bothVerdicts(make());
    assert.equal(mine.ok, false, `independent verifier accepted: ${name}`);
    assert.equal(mine.proven, null);
    assert.ok(mine.problems.length > 0);
    assert.equal(shipped.ok, false, `shipped verifier accepted: ${name}`);
  });
}

test('cosmetic, uncovered files do not change either verdict', async () => {
  const b = { ...bundle, 'README.txt': 'edited', 'interactions.json': '[]\n' };
  const { mine, shipped } = await bothVerdicts(b);
  assert.equal(mine.ok, true, mine.problems.join('\n'));
  assert.equal(shipped.ok, true, shipped.problems.join('\n'));
});

test('consistency with an earlier checkpoint the recipient saved, and a pinned key: both verifiers agree', async () => {
  const earlier = bundle['checkpoint.txt']!;
  const key = bundle['public-key.txt']!;
  const cases: [string, Bundle, { key?: string; earlierCheckpoint?: string }, boolean][] = [
    ['the later bundle extends the saved checkpoint', later, { earlierCheckpoint: earlier, key }, true],
    ['the key pinned', bundle, { key }, true],
    ['another key pinned', bundle, { key: 'someone.else+00000000+' + key.trim().split('+').slice(2).join('+') }, false],
    [
      'a consistency hash altered',
      {
        ...later,
        'consistency.json': JSON.stringify({ ...json(later, 'consistency.json'), hashes: (json(later, 'consistency.json').hashes as string[]).map((h, i) => (i === 0 ? Buffer.alloc(32, 9).toString('base64') : h)) }),
      },
      { earlierCheckpoint: earlier },
      false,
    ],
    ['consistency.json earlierCheckpoint is informational', { ...later, 'consistency.json': JSON.stringify({ ...json(later, 'consistency.json'), earlierCheckpoint: 'not a note' }) }, { earlierCheckpoint: earlier }, true],
    ['consistency.json extra field ignored', { ...later, 'consistency.json': JSON.stringify({ ...json(later, 'consistency.json'), note: 1 }) }, { earlierCheckpoint: earlier }, true],
    ['consistency.json size1 other than the saved checkpoint', { ...later, 'consistency.json': JSON.stringify({ ...json(later, 'consistency.json'), size1: 11 }) }, { earlierCheckpoint: earlier }, false],
    ['consistency.json missing', Object.fromEntries(Object.entries(later).filter(([f]) => f !== 'consistency.json')), { earlierCheckpoint: earlier }, false],
    ['a saved checkpoint the bundle does not extend (a fork)', later, { earlierCheckpoint: forgeNote(earlier, (b) => b.replace(/\n[^\n]+\n$/, `\n${Buffer.alloc(32, 1).toString('base64')}\n`)) }, false],
  ];
  for (const [name, b, opts, ok] of cases) {
    const { mine, shipped } = await bothVerdicts(b, opts);
    assert.equal(mine.ok, ok, `independent, ${name}: ${mine.problems.join(' | ')}`);
    assert.equal(shipped.ok, ok, `shipped, ${name}: ${shipped.problems.join(' | ')}`);
  }
});

// ---------- a forger who holds the signing key ----------
// why: the rules about which entries must be complete, field types and ordering can only be
// exercised with a log that says something else; with the test key we re-sign one, so both
// verifiers are held to the document's rules, not just to "the hashes changed".

const signingKey = () => {
  const seed = createHash('sha256').update('test-signing-key').digest(); // testSigner()'s key
  return createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
};
const forgeNote = (note: string, editBody: (body: string) => string) => {
  const [name, kid] = bundle['public-key.txt']!.trim().split('+');
  const body = editBody(note.slice(0, note.indexOf('\n\n') + 1));
  const sig = sign(null, Buffer.from(body), signingKey());
  return `${body}\n\u2014 ${name} ${Buffer.concat([Buffer.from(kid!, 'hex'), sig]).toString('base64')}\n`;
};
const sha = (...p: (Buffer | string)[]) => {
  const h = createHash('sha256');
  for (const x of p) h.update(x);
  return h.digest();
};
const blocks = (s: number, e: number) => {
  const o: [number, number][] = [];
  while (s < e) {
    let n = 1;
    while (s % (2 * n) === 0 && s + 2 * n <= e) n *= 2;
    o.push([s, n]);
    s += n;
  }
  return o;
};
/** Leaves and gap nodes of the real bundle, by "start/size". */
const knownNodes = () => {
  const nodes = new Map<string, Buffer>();
  const claimed = [...(json(bundle, 'events.json') as J[]), ...(json(bundle, 'policy-chain.json') as J[])];
  for (const x of claimed) nodes.set(`${x.leafIndex}/1`, Buffer.from(x.leafHash as string, 'base64'));
  const idx = claimed.map((x) => x.leafIndex as number).sort((a, b) => a - b);
  const gaps = json(bundle, 'log-proof.json').gaps as string[];
  let at = 0;
  let g = 0;
  const size = json(bundle, 'log-proof.json').treeSize as number;
  for (const i of [...idx, size]) {
    for (const [s, n] of blocks(at, i)) nodes.set(`${s}/${n}`, Buffer.from(gaps[g++]!, 'base64'));
    at = i + 1;
  }
  return { nodes, size };
};
/** Recomputes every hash, link, leaf, gap and the signed checkpoint of `b` as a key holder could. */
const forge = (b: Bundle): Bundle => {
  const { nodes, size } = knownNodes();
  const es = json(b, 'events.json') as J[];
  const chain = json(b, 'policy-chain.json') as J[];
  const leaf = (v: J) => sha(Buffer.from([0]), jcs(v));
  const byI = new Map<string, J[]>();
  for (const e of es) byI.set(e.interactionId, [...(byI.get(e.interactionId) ?? []), e]);
  for (const list of byI.values()) {
    list.sort((x, y) => x.seq - y.seq);
    list.forEach((e, i) => {
      if (e.seq === 0) e.prevHash = '0'.repeat(64);
      else if (list[i - 1]?.seq === e.seq - 1) e.prevHash = list[i - 1]!.hash;
      const content = { interactionId: e.interactionId, seq: e.seq, type: e.type, schemaVersion: e.schemaVersion, providerRef: e.providerRef, providerTime: e.providerTime, receivedAt: e.receivedAt, payload: e.payload };
      e.hash = sha('gw-evidence/v1\n', e.prevHash, '\n', jcs(content)).toString('hex');
      const lh = leaf({ v: 1, t: 'event', eventId: e.id, interactionId: e.interactionId, seq: e.seq, hash: e.hash });
      e.leafHash = lh.toString('base64');
      nodes.set(`${e.leafIndex}/1`, lh);
    });
  }
  let prev = '0'.repeat(64);
  for (const en of chain) {
    const last = byI.get(en.interactionId)?.find((e) => e.seq === en.toSeq);
    if (last) en.head = last.hash;
    en.prev = prev;
    const { leafIndex, leafHash: _old, ...fields } = en;
    const lh = leaf({ v: 1, t: 'policy-link', ...fields });
    en.leafHash = lh.toString('base64');
    nodes.set(`${leafIndex}/1`, lh);
    prev = lh.toString('hex');
  }
  const hashOf = (s: number, n: number): Buffer => {
    const known = nodes.get(`${s}/${n}`);
    if (known) return known;
    assert.ok(n > 1, `forge: leaf ${s} unknown`);
    let k = 1;
    while (k * 2 < n) k *= 2;
    return sha(Buffer.from([1]), hashOf(s, k), hashOf(s + k, n - k));
  };
  const idx = [...es, ...chain].map((x) => x.leafIndex as number).sort((a, c) => a - c);
  const gaps: string[] = [];
  let at = 0;
  for (const i of [...idx, size]) {
    for (const [s, n] of blocks(at, i)) gaps.push(hashOf(s, n).toString('base64'));
    at = i + 1;
  }
  const root = hashOf(0, size).toString('base64');
  return {
    ...b,
    'events.json': JSON.stringify(es),
    'policy-chain.json': JSON.stringify(chain),
    'log-proof.json': JSON.stringify({ gaps, treeSize: size }),
    'checkpoint.txt': forgeNote(b['checkpoint.txt']!, (body) => body.replace(/\n[^\n]+\n$/, `\n${root}\n`)),
  };
};
const record = (es: J[]) => es.find((e) => e.type === 'evidence.exported')!;
/** Moves the window in the signed record and the manifest alike, and drops events of the given interactions. */
const rewindow = (from: string, to: string, drop: (chain: J[]) => string[] = () => []) => {
  const chain = json(bundle, 'policy-chain.json') as J[];
  const gone = new Set(drop(chain));
  const es = (json(bundle, 'events.json') as J[]).filter((e) => !gone.has(e.interactionId));
  record(es).payload.window = { from, to };
  const m = json(bundle, 'manifest.json');
  m.window = { from, to };
  return forge({ ...bundle, 'events.json': JSON.stringify(es), 'manifest.json': JSON.stringify(m) });
};
const editEvents = (edit: (es: J[]) => void) => forge(withJson('events.json', (es) => void edit(es as J[])));
// chain[1] is the call (10:00:00 .. 10:00:20), chain[2] the SMS thread (10:00:20), chain[3] the export record
const call = (c: J[]) => [c[1]!.interactionId as string];
const sms = (c: J[]) => [c[2]!.interactionId as string];

const forged: [string, () => Bundle, boolean][] = [
  ['re-signed with nothing changed', () => forge(bundle), true],
  ['window ending exactly at the call entry firstReceivedAt, the call left out (windows are closed)', () => rewindow('2026-11-04T00:00:00.000Z', '2026-11-05T10:00:00.000Z', (c) => [...call(c), ...sms(c)]), false],
  ['window ending exactly at the call entry firstReceivedAt, the call kept, the SMS left out', () => rewindow('2026-11-04T00:00:00.000Z', '2026-11-05T10:00:00.000Z', sms), true],
  ['window starting exactly at the SMS entry lastReceivedAt, the SMS left out', () => rewindow('2026-11-05T10:00:20.000Z', '2026-11-06T00:00:00.000Z', sms), false],
  ['window ending before the SMS, the SMS left out', () => rewindow('2026-11-05T00:00:00.000Z', '2026-11-05T10:00:19.999Z', sms), true],
  ['window ending before the SMS, the SMS kept (an event no rule requires)', () => rewindow('2026-11-05T00:00:00.000Z', '2026-11-05T10:00:19.999Z'), false],
  ['window with a UTC offset (times have one form only)', () => rewindow('2026-11-05T00:00:00.000Z', '2026-11-05T11:00:10+01:00', sms), false],
  ['the record naming no policy number, nor the manifest', () => {
    const b = editEvents((es) => void delete record(es).payload.policyNumber);
    const m = json(b, 'manifest.json');
    delete m.policy.number;
    return { ...b, 'manifest.json': JSON.stringify(m) };
  }, false],
  ['a chain entry whose times are not its events\' (firstReceivedAt moved later)', () => forge(withJson('policy-chain.json', (c) => void ((c as J[])[1]!.firstReceivedAt = '2026-11-05T10:00:05.000Z'))), false],
  ['a chain entry ending before it starts', () => forge(withJson('policy-chain.json', (c) => void ((c as J[])[0]!.lastReceivedAt = '2026-11-01T00:00:00.000Z'))), false],
  ['schemaVersion as a string', () => editEvents((es) => void (es[1]!.schemaVersion = '1')), false],
  ['an empty event type', () => editEvents((es) => void (es[1]!.type = '')), false],
  ['an unreadable receivedAt', () => editEvents((es) => void (es[1]!.receivedAt = 'yesterday')), false],
  ['payload null', () => editEvents((es) => void (es[1]!.payload = null)), true],
  ['a second chain entry after the export record', () => forge(withJson('policy-chain.json', (c) => void (c as J[]).push({ ...(c as J[])[2]!, pseq: 4, fromSeq: 1, toSeq: 1, leafIndex: 7 }))), false],
  ['the record in the chain for another policy id (manifest following it)', () => {
    const b = editEvents((es) => void (record(es).payload.policyId = 'another'));
    return { ...b, 'manifest.json': JSON.stringify({ ...json(b, 'manifest.json'), policy: { ...json(b, 'manifest.json').policy, id: 'another' } }) };
  }, false],
  ['checkpoint origin other than the key name', () => ({ ...bundle, 'checkpoint.txt': forgeNote(bundle['checkpoint.txt']!, (body) => body.replace(/^[^\n]*/, 'another.origin/log')) }), true],
  ['checkpoint with an extension line', () => ({ ...bundle, 'checkpoint.txt': forgeNote(bundle['checkpoint.txt']!, (body) => body + 'extension\n') }), true],
  ['manifest format other than v2', () => withJson('manifest.json', (m) => void (m.format = 'gw-evidence-bundle/v1')), false],
  ['manifest without exportedBy', () => withJson('manifest.json', (m) => void delete m.exportedBy), true],
  ['manifest with extra fields', () => withJson('manifest.json', (m) => void ((m.note = 'x'), (m.window.note = 'x'))), true],
  ['log-proof.json with an extra field', () => withJson('log-proof.json', (p) => void (p.note = 'x')), true],
  ['leafHash and gaps in URL-safe base64 without padding (same bytes)', () => withJson('log-proof.json', (p) => void (p.gaps = (p.gaps as string[]).map((g) => g.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')))), true],
];

test('the test key is the bundle key (so forged cases are signed as the gateway would)', () => {
  const raw = createPublicKey(signingKey()).export({ format: 'der', type: 'spki' }).subarray(12);
  assert.ok(bundle['public-key.txt']!.trim().endsWith(Buffer.concat([Buffer.from([1]), raw]).toString('base64')));
});

for (const [name, make, ok] of forged) {
  test(`with the key or in uncovered files: ${name} - both ${ok ? 'accept' : 'refuse'}`, async () => {
    const { mine, shipped } = await bothVerdicts(make());
    assert.equal(mine.ok, ok, `independent: ${mine.problems.join(' | ')}`);
    assert.equal(shipped.ok, ok, `shipped: ${shipped.problems.join(' | ')}`);
  });
}
