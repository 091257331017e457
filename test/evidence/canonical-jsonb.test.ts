import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { canonicalJson } from '../../src/evidence/canonical-json.js';
import { canonicalJsonb, canonicalJsonbText } from '../../src/evidence/canonical-jsonb.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(async () => t.drop());

/** What Postgres prints for each JSON text stored as jsonb. */
const asJsonb = async (texts: string[]): Promise<string[]> =>
  (await t.db.query<{ j: string }>('select j::jsonb::text as j from unnest($1::text[]) with ordinality u(j, n) order by n', [texts])).rows.map((r) => r.j);

const general = (text: string): string => {
  try {
    return canonicalJson(JSON.parse(text) as unknown);
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
};
const fast = (text: string): string => {
  try {
    return canonicalJsonb(text);
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
};

// Deterministic pseudo-random values, biased to what canonicalization gets wrong: key order, escapes, numbers.
let seed = 42;
const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
const CHARS = ['a', 'b', 'B', 'z', '0', '9', ' ', '"', '\\', '/', '\n', '\t', '\u0001', '\u001f', '\u007f', 'é', '\u2028', '😀', '\uffff', '_', '~'];
const str = () => Array.from({ length: rnd(6) }, () => CHARS[rnd(CHARS.length)]).join('');
const NUMBERS = ['0', '-0', '1', '-1', '1.50', '0.1', '1e21', '1e-7', '123456789012345678901234567890', '5e-324', '1.7976931348623157e308', '-2.5E+3', '100', '0.000001', '1e400', '-1e400'];
const value = (depth: number): string => {
  const k = rnd(depth > 3 ? 4 : 7);
  if (k === 0) return JSON.stringify(str());
  if (k === 1) return NUMBERS[rnd(NUMBERS.length)]!;
  if (k === 2) return ['true', 'false', 'null'][rnd(3)]!;
  if (k === 3) return JSON.stringify(rnd(1000) - 500);
  if (k === 4) return `[${Array.from({ length: rnd(4) }, () => value(depth + 1)).join(',')}]`;
  const keys = Array.from({ length: rnd(6) }, () => (rnd(4) === 0 ? str() : ['a', 'b', 'aa', 'ab', 'ba', 'B', 'é', '😀', '\uffff', 'step', 'digits', '10', '9', ''][rnd(14)]!));
  return `{${keys.map((key) => `${JSON.stringify(key)}: ${value(depth + 1)}`).join(', ')}}`;
};

test('canonicalJsonb writes canonicalJson(JSON.parse(text)) for every jsonb Postgres prints, refusals included', async () => {
  const inputs = [
    '{"step": "menu", "digits": "1"}', '{"said": ["Press 1"], "gather": {"expect": "menu"}}', '{}', '[]', '""', '0', 'null',
    '{"a": {}, "b": [[], {}]}', '{"q\\"k": 1, "k": 2}', '{"\\u0001": 1, "a": 2}', ...NUMBERS,
    ...Array.from({ length: 3000 }, () => value(0)),
  ];
  const stored = await asJsonb(inputs);
  let fastPath = 0;
  for (const text of stored) {
    assert.equal(fast(text), general(text), text);
    if (fast(text).startsWith('throws') || canonicalJsonbText(text) !== null) fastPath += 1;
  }
  assert.ok(fastPath > stored.length * 0.8, `fast path taken for ${fastPath} of ${stored.length}`);
});

test('canonicalJsonb takes the general path for text that is not jsonb output', () => {
  for (const text of ['{"b":1,"a":2}', '[1,2]', ' 1', '{"a" : 1}', '+1', '1.', '{"a": 1}x', '[1, 2', '"abc']) {
    assert.equal(canonicalJsonbText(text), null, text);
    assert.equal(fast(text), general(text), text);
  }
});
