import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderMachineDocs } from './machine-docs.js';

test('docs/machines.md is the diagram of the machines as they are (run npm run docs:machines)', () => {
  const onDisk = readFileSync(new URL('../../docs/machines.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderMachineDocs());
});

test('the IVR diagram shows identification, payment and the routes to a person', () => {
  const doc = renderMachineDocs();
  for (const edge of [
    'askPolicyNumber --> askVerification: POLICY_LOOKUP [policyFound]',
    'captureCard --> paymentProcessing: PAY_RESULT [cardCaptured]',
    'routeToPerson --> offerCallback: always',
    'paymentProcessing --> paymentConfirmed: PAYMENT_STATUS [paid]',
  ]) {
    assert.ok(doc.includes(edge), edge);
  }
});
