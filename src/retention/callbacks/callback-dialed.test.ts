import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { attemptEndOf } from './callback-dialed.js';

describe('attemptEndOf', () => {
  test('a bridged dial reached the customer, with how long they talked', () => {
    assert.deepEqual(attemptEndOf({ DialCallStatus: 'completed', DialCallDuration: 240, DialBridged: 'true' }), { reached: true, signal: 'dial completed', durationSeconds: 240 });
    assert.deepEqual(attemptEndOf({ DialCallStatus: 'answered' }), { reached: true, signal: 'dial answered', durationSeconds: null });
  });

  test('no answer, busy, failed and canceled are misses of that kind', () => {
    for (const s of ['no-answer', 'busy', 'failed', 'canceled'] as const) {
      const end = attemptEndOf({ DialCallStatus: s });
      assert.equal(end.reached, false);
      assert.equal(!end.reached && end.outcome, s);
    }
  });

  test('completed but never bridged (the specialist hung up while it rang) is a miss', () => {
    assert.deepEqual(attemptEndOf({ DialCallStatus: 'completed', DialBridged: 'false', DialCallDuration: 0 }), { reached: false, outcome: 'specialist-left', signal: 'dial completed, not bridged' });
  });
});
