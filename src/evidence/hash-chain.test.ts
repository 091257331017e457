import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import canonicalize from 'canonicalize';
import { canonicalJson } from './canonical-json.js';
import { hashEnvelope, hashEvent, normalizeForStorage, toStorablePayload, type ChainEnvelope } from './hash-chain.js';
import { isoOf } from './snapshot-scan.js';

const SAMPLES: unknown[] = [
  { b: 1, a: [true, null, 1.5e-7, 'é😀\u0000', undefined], c: { z: -0, y: 1e21, x: 0.1 + 0.2 } },
  'x', '', [], {}, 0, -1, 123456789012345680000, 5e-324, true, false, null,
  { '\u00e9': 1, e: 2, E: 3, '😀': 4, '\uffff': 5, '': 6, aa: { ab: [{ b: undefined, a: 'q"\\\n\t\u2028' }] } },
  { nested: [[[]], [{}], [1, [2, [3]]]], date: new Date('2026-01-02T03:04:05.006Z') },
];

test('canonicalJson writes what the canonicalize package writes, refusals included', () => {
  for (const s of SAMPLES) assert.equal(canonicalJson(s), canonicalize(s), JSON.stringify(s));
  for (const bad of [NaN, Infinity, '\ud800', { k: -Infinity }, ['\udc00x'], { '\ud800': 1 }]) {
    assert.throws(() => canonicalize(bad));
    assert.throws(() => canonicalJson(bad));
  }
});

// The pre-optimisation definition, kept as the reference the fast envelope must reproduce.
const reference = (prev: string, e: ChainEnvelope) =>
  createHash('sha256').update('gw-evidence/v1\n').update(prev).update('\n').update(canonicalize({
    interactionId: e.interactionId, seq: e.seq, type: e.type, schemaVersion: e.schemaVersion, providerRef: e.providerRef,
    providerTime: e.providerTime ? e.providerTime.toISOString() : null, receivedAt: e.receivedAt.toISOString(), payload: e.payload,
  })!).digest('hex');

test('hashEvent is SHA-256 over the tag, previous hash and canonical envelope', () => {
  SAMPLES.forEach((payload, i) => {
    const e: ChainEnvelope = {
      interactionId: '0190a1b2-0000-7000-8000-00000000000' + (i % 10), seq: i, type: i % 2 ? 'ivr.input' : 'type "q"',
      schemaVersion: 1 + (i % 3), providerRef: i % 3 ? null : `CA${i}\t`, providerTime: i % 2 ? null : new Date(1_700_000_000_123 + i),
      receivedAt: new Date(1_800_000_000_000 - i), payload,
    };
    const prev = createHash('sha256').update(String(i)).digest('hex');
    assert.equal(hashEvent(prev, e), reference(prev, e), `sample ${i}`);
    const fields = { ...e, providerTime: e.providerTime?.toISOString() ?? null, receivedAt: e.receivedAt.toISOString() };
    assert.equal(hashEnvelope(prev, fields), reference(prev, e));
    assert.notEqual(hashEnvelope(prev, { ...fields, seq: i + 1 }), reference(prev, e), 'every field counts');
    assert.notEqual(hashEnvelope(prev, { ...fields, providerRef: 'other' }), reference(prev, e));
  });
});

test('timestamptz text becomes the ISO string of the Date that was hashed', () => {
  const cases: [string, string][] = [
    ['2026-11-05 10:00:19+00', '2026-11-05T10:00:19.000Z'],
    ['2026-11-05 10:00:19.1+00', '2026-11-05T10:00:19.100Z'],
    ['2026-11-05 10:00:19.123999+00', '2026-11-05T10:00:19.123Z'],
    ['12026-11-05 10:00:19.5+00', new Date(Date.UTC(12026, 10, 5, 10, 0, 19, 500)).toISOString()],
  ];
  for (const [pgText, want] of cases) assert.equal(isoOf(pgText), want, pgText);
});

test('toStorablePayload gives what the JSON round trip gives, taking it only when a value needs it', () => {
  const plain = { said: ['Hello', 'é😀'], step: 3, ok: true, none: null, nested: [{ a: 1.5, b: [] }], '': 'x' };
  assert.equal(toStorablePayload(plain), plain, 'a plain payload is used as it is');
  const sparse: unknown[] = [1];
  sparse[2] = 3;
  const needs: unknown[] = [
    { a: undefined, b: 1 }, [undefined, 1], { n: NaN }, { n: -Infinity }, { z: -0 }, { s: 'a\u0000b' }, { s: '\ud800x' },
    { d: new Date('2026-01-02T03:04:05.006Z') }, { big: 10n }, { f: () => 1 }, sparse, Object.assign(Object.create(null), { a: 1 }),
    Object.assign(Object.create({ inherited: 1 }), { own: 2 }), { k: { '\u0000': 1 } }, [[{ deep: 'ok', bad: undefined }]], undefined,
  ];
  for (const v of [...SAMPLES, plain, ...needs]) {
    const got = toStorablePayload(v);
    const want = normalizeForStorage(v);
    assert.deepEqual(got, want, String(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x))));
    assert.equal(JSON.stringify(got), JSON.stringify(want));
  }
});
