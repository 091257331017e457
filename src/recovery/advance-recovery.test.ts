import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { advanceRecovery } from './advance-recovery.js';
import { failedDue, schedule } from './test-support/failed-due.js';

describe('advanceRecovery: waking a due at a given time', () => {
  it('runs the pay link at the failure and waits for the call next morning', () => {
    const a = advanceRecovery(schedule, failedDue(), [], '2026-12-03T20:10:00.000Z');
    assert.deepEqual(a.decisions.map((d) => d.stepId), ['pay-link']);
    assert.deepEqual(a.history, [{ stepId: 'pay-link', outcome: 'done', at: '2026-12-03T20:10:00.000Z' }]);
    assert.equal(a.next.type === 'run' && `${a.next.stepId} ${a.next.at}`, 'first-call 2026-12-04T10:00:00.000-06:00');
  });

  it('catches up after days down: every step due runs once, a deferral replaced by its run', () => {
    const history = [
      { stepId: 'pay-link', outcome: 'done' as const, at: '2026-12-03T20:10:00.000Z' },
      { stepId: 'first-call', outcome: 'deferred' as const, at: '2026-12-04T16:00:00.000Z', until: '2026-12-05T14:00:00.000Z' },
    ];
    const a = advanceRecovery(schedule, failedDue(), history, '2026-12-08T17:00:00.000Z');
    assert.deepEqual(a.decisions.map((d) => `${d.stepId} ${d.type}`), ['first-call run', 'first-retry run', 'reminder run']);
    assert.deepEqual(a.history.map((r) => `${r.stepId} ${r.outcome}`), ['pay-link done', 'first-call done', 'first-retry done', 'reminder done']);
    assert.equal(a.next.type === 'run' && a.next.stepId, 'second-call');
  });

  it('at the end of grace cancels and makes the reinstatement offer in the same wake, then waits for the window to close', () => {
    const before = advanceRecovery(schedule, failedDue(), [], '2026-12-31T12:00:00.000-06:00');
    const a = advanceRecovery(schedule, failedDue(), before.history, '2027-01-02T00:00:00.000-06:00');
    assert.deepEqual(a.decisions.map((d) => (d.type === 'run' ? `${d.does}/${d.channel}` : d.why)), ['cancel/sms', 'reinstatement-offer/sms']);
    assert.deepEqual(a.next, { type: 'close', at: '2027-01-16T00:00:00.000-06:00', why: 'the reinstatement window ends unpaid' });
  });

  it('does nothing once the due is paid', () => {
    const a = advanceRecovery(schedule, failedDue({ paidAt: '2026-12-04T09:00:00.000-06:00' }), [], '2026-12-20T12:00:00.000Z');
    assert.deepEqual(a.decisions, []);
    assert.equal(a.next.type === 'stop' && a.next.status, 'paid');
  });
});
