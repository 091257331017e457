import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EvidenceType, type EvidenceDraft } from './evidence-event.js';

test('evidence types come from one registry: a misspelt type does not compile, and no two names share a type', () => {
  // @ts-expect-error 'payment.sucess' is not a registered evidence type (npm run typecheck fails if this line compiles)
  const misspelt: EvidenceDraft = { type: 'payment.sucess', payload: {} };
  const ok: EvidenceDraft = { type: EvidenceType.PAYMENT_SUCCEEDED, payload: {} };
  assert.equal(ok.type, 'payment.succeeded');
  assert.ok(misspelt);
  const values = Object.values(EvidenceType);
  assert.equal(new Set(values).size, values.length);
  for (const v of values) assert.match(v, /^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$/, v);
});
