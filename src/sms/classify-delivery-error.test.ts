import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyDeliveryError } from './classify-delivery-error.js';

test('Twilio delivery error codes by what they mean for the next text', () => {
  assert.equal(classifyDeliveryError(null), null);
  assert.deepEqual(classifyDeliveryError(30003), { failure: 'handset-unreachable', retryable: true });
  assert.deepEqual(classifyDeliveryError(30005), { failure: 'number-invalid', retryable: false });
  assert.deepEqual(classifyDeliveryError(30006), { failure: 'landline', retryable: false });
  assert.deepEqual(classifyDeliveryError(30004), { failure: 'blocked', retryable: false });
  assert.deepEqual(classifyDeliveryError(30007), { failure: 'filtered', retryable: false });
  assert.deepEqual(classifyDeliveryError(30034), { failure: 'sender-problem', retryable: true });
  assert.deepEqual(classifyDeliveryError(21610), { failure: 'opted-out', retryable: false });
  assert.deepEqual(classifyDeliveryError(12345), { failure: 'unknown', retryable: true });
  assert.deepEqual(classifyDeliveryError(0), { failure: 'unknown', retryable: true });
});
