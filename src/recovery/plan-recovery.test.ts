import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextRecoveryStep, planRecovery } from './plan-recovery.js';
import type { PlannedStep } from './recovery-facts.js';
import { doneBefore, failedDue, schedule } from './test-support/failed-due.js';

/** A plan as an operator reads it: `id at channel` (or `id skipped: why`). */
const timeline = (steps: PlannedStep[]) => steps.map((s) => (s.type === 'run' ? `${s.stepId} ${s.at} ${s.does}/${s.channel}` : `${s.stepId} skipped: ${s.why}`));

describe('planRecovery: the default schedule for a due that failed for lack of funds', () => {
  it('texts at once, calls the next morning, retries on day 3, warns 48 hours before the end of grace, cancels at its end', () => {
    assert.deepEqual(timeline(planRecovery(schedule, failedDue(), []).steps), [
      'pay-link 2026-12-03T14:10:00.000-06:00 sms-pay-link/sms',
      'first-call 2026-12-04T10:00:00.000-06:00 call/voice',
      'first-retry 2026-12-06T09:00:00.000-06:00 charge-retry/card',
      'reminder 2026-12-08T10:00:00.000-06:00 reminder-sms/sms',
      'second-call 2026-12-10T17:30:00.000-06:00 call/voice',
      'second-retry 2026-12-13T09:00:00.000-06:00 charge-retry/card',
      'final-notice 2026-12-31T00:00:00.000-06:00 final-notice/sms',
      'cancel 2027-01-02T00:00:00.000-06:00 cancel/sms',
      'reinstatement-offer 2027-01-02T00:00:00.000-06:00 reinstatement-offer/sms',
    ]);
  });

  it('keeps the local time of day across a change to daylight saving time, and the final notice exactly 48 hours before', () => {
    // Clocks go forward in Chicago on Sunday 14 March 2027.
    const plan = planRecovery(schedule, failedDue({ failedAt: '2027-03-09T08:00:00.000-06:00', graceEndsAt: '2027-03-20T00:00:00.000-05:00' }), []);
    const at = (id: string) => plan.steps.find((s) => s.stepId === id)!.at;
    assert.equal(at('second-call'), '2027-03-16T17:30:00.000-05:00');
    assert.equal(at('final-notice'), '2027-03-18T00:00:00.000-05:00');
    const acrossTheChange = planRecovery(schedule, failedDue({ failedAt: '2027-03-01T08:00:00.000-06:00', graceEndsAt: '2027-03-15T00:00:00.000-05:00' }), []);
    // 48 real hours before midnight on the 15th is 23:00 on the 12th: the night of the 14th had 23 hours.
    assert.equal(acrossTheChange.steps.find((s) => s.stepId === 'final-notice')!.at, '2027-03-12T23:00:00.000-06:00');
  });

  it('skips a step that would fall after the end of a shorter grace period for this due', () => {
    const plan = planRecovery(schedule, failedDue({ graceEndsAt: '2026-12-12T00:00:00.000-06:00' }), []);
    const retry = plan.steps.find((s) => s.stepId === 'second-retry')!;
    assert.equal(retry.type, 'skip');
    assert.match(retry.type === 'skip' ? retry.why : '', /falls on or after the end of grace \(2026-12-12T00:00:00.000-06:00\)/);
    assert.equal(plan.steps.find((s) => s.stepId === 'final-notice')!.at, '2026-12-10T00:00:00.000-06:00');
  });
});

describe('planRecovery: charge retries on payday', () => {
  const retryAt = (paydays: string[], id = 'first-retry') => {
    const s = planRecovery(schedule, failedDue({ paydays }), []).steps.find((x) => x.stepId === id)!;
    return s.type === 'run' ? { at: s.at, why: s.why } : assert.fail(`skipped: ${s.why}`);
  };

  it('moves the day-3 retry to a payday up to 3 days later, at the same hour, and says so', () => {
    assert.deepEqual(retryAt(['2026-12-09', '2026-12-23']), {
      at: '2026-12-09T09:00:00.000-06:00',
      why: "moved from 2026-12-06 to the customer's payday 2026-12-09",
    });
  });

  it('moves it a day earlier when payday is the day before, and not at all when payday is outside the window', () => {
    assert.equal(retryAt(['2026-12-05']).at, '2026-12-05T09:00:00.000-06:00');
    assert.deepEqual(retryAt(['2026-12-10', '2026-12-04']), { at: '2026-12-06T09:00:00.000-06:00', why: null });
  });

  it('picks the payday closest to the configured day, and runs the steps in their new order', () => {
    assert.equal(retryAt(['2026-12-11', '2026-12-14'], 'second-retry').at, '2026-12-14T09:00:00.000-06:00');
    const ids = planRecovery(schedule, failedDue({ paydays: ['2026-12-09'] }), []).steps.map((s) => s.stepId);
    assert.deepEqual(ids.slice(2, 4), ['reminder', 'first-retry']);
  });
});

describe('nextRecoveryStep over the life of a due', () => {
  const history = (before: string) => doneBefore(before, '2026-12-03T14:10:00.000-06:00');

  it('starts with the pay link at the failure, then moves on as steps are done', () => {
    assert.deepEqual(nextRecoveryStep(schedule, failedDue(), []), {
      type: 'run', stepId: 'pay-link', kind: 'sms-pay-link', at: '2026-12-03T14:10:00.000-06:00', does: 'sms-pay-link', channel: 'sms', why: null,
    });
    const next = nextRecoveryStep(schedule, failedDue(), history('reminder'));
    assert.equal(next.type === 'run' && `${next.stepId} ${next.at}`, 'reminder 2026-12-08T10:00:00.000-06:00');
  });

  it('runs a step the contact engine deferred at the time it was deferred to', () => {
    const deferred = [...history('first-call'), { stepId: 'first-call', outcome: 'deferred' as const, at: '2026-12-04T10:00:00.000-06:00', until: '2026-12-05T08:00:00.000-06:00' }];
    const next = nextRecoveryStep(schedule, failedDue(), deferred);
    assert.equal(next.type === 'run' && `${next.stepId} ${next.at}`, 'first-call 2026-12-05T08:00:00.000-06:00');
  });

  it('stops the moment the due is paid, whatever is pending', () => {
    const next = nextRecoveryStep(schedule, failedDue({ paidAt: '2026-12-04T11:02:00.000-06:00' }), history('first-retry'));
    assert.deepEqual(next, { type: 'stop', status: 'paid', why: 'paid 2026-12-04T11:02:00.000-06:00' });
  });

  it('cancels at the end of grace, then offers reinstatement at the cancellation, then closes 14 days later', () => {
    const cancel = nextRecoveryStep(schedule, failedDue(), history('cancel'));
    assert.equal(cancel.type === 'run' && `${cancel.does} ${cancel.at}`, 'cancel 2027-01-02T00:00:00.000-06:00');
    const cancelled = [...history('cancel'), { stepId: 'cancel', outcome: 'done' as const, at: '2027-01-02T00:00:04.000-06:00' }];
    const offer = nextRecoveryStep(schedule, failedDue(), cancelled);
    assert.equal(offer.type === 'run' && `${offer.does}/${offer.channel} ${offer.at}`, 'reinstatement-offer/sms 2027-01-02T00:00:04.000-06:00');
    const offered = [...cancelled, { stepId: 'reinstatement-offer', outcome: 'done' as const, at: '2027-01-02T00:00:05.000-06:00' }];
    assert.deepEqual(nextRecoveryStep(schedule, failedDue(), offered), { type: 'close', at: '2027-01-16T00:00:04.000-06:00', why: 'the reinstatement window ends unpaid' });
  });

  it('reinstates a payment within the window after cancellation, or made before it but settled later, and not one after the window', () => {
    const cancelled = [...history('cancel'), { stepId: 'cancel', outcome: 'done' as const, at: '2027-01-02T00:00:00.000-06:00' }];
    const within = nextRecoveryStep(schedule, failedDue({ paidAt: '2027-01-15T23:59:00.000-06:00' }), cancelled);
    assert.equal(within.type === 'stop' && within.status, 'reinstate');
    const before = nextRecoveryStep(schedule, failedDue({ paidAt: '2027-01-01T16:00:00.000-06:00' }), cancelled);
    assert.deepEqual(before, { type: 'stop', status: 'reinstate', why: 'paid 2027-01-01T16:00:00.000-06:00, before the cancellation at 2027-01-02T00:00:00.000-06:00' });
    const late = nextRecoveryStep(schedule, failedDue({ paidAt: '2027-01-16T00:01:00.000-06:00' }), cancelled);
    assert.deepEqual(late, { type: 'stop', status: 'closed', why: 'paid 2027-01-16T00:01:00.000-06:00, after the reinstatement window closed (2027-01-16T00:00:00.000-06:00)' });
  });

  it('skips steps left over when the policy was cancelled before they ran (a worker down for days)', () => {
    const cancelled = [...history('reminder'), { stepId: 'cancel', outcome: 'done' as const, at: '2027-01-02T00:00:00.000-06:00' }];
    const next = nextRecoveryStep(schedule, failedDue(), cancelled);
    assert.deepEqual(next, { type: 'skip', stepId: 'reminder', kind: 'reminder-sms', at: '2026-12-08T10:00:00.000-06:00', why: 'the policy was cancelled before this step ran' });
  });
});
