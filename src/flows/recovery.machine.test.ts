import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AnyMachineSnapshot } from 'xstate';
import { failedDue, schedule } from '../recovery/test-support/failed-due.js';
import type { RecoveryFacts } from '../recovery/recovery-facts.js';
import '../jobs/contracts/recovery-finish.job.js';
import '../jobs/contracts/recovery-step.job.js';
import '../jobs/contracts/recovery-wake.job.js';
import { toOutboxRows } from '../jobs/outbox-rows.js';
import { effectsFromActions } from '../turns/effects.js';
import { pureInitialTransition, pureTransition } from '../turns/pure-transition.js';
import { recoveryMachine, type RecoveryContext, type RecoveryEvent } from './recovery.machine.js';

type Action = { type: string; params?: unknown };

/** A recovery session as the turn engine keeps it: each turn's snapshot stored as JSON and read back. */
const session = () => {
  const stored = (s: AnyMachineSnapshot) => recoveryMachine.resolveState(JSON.parse(JSON.stringify(recoveryMachine.getPersistedSnapshot(s))));
  let [snapshot] = pureInitialTransition(recoveryMachine, { dueId: 'due_1', policyId: 'pol_1', schedule });
  snapshot = stored(snapshot);
  const send = (event: RecoveryEvent): Action[] => {
    const [next, actions] = pureTransition(recoveryMachine, snapshot, event);
    snapshot = stored(next);
    // The outbox writer refuses a payload its job definition does not accept, as a real turn would.
    toOutboxRows(effectsFromActions(actions), new Date(event.type === 'WAKE' ? event.now : event.at));
    return actions;
  };
  return {
    send,
    wake: (now: string, facts: RecoveryFacts = failedDue()) => send({ type: 'WAKE', facts, now }),
    get state() { return snapshot.value as string; },
    get context() { return snapshot.context as RecoveryContext; },
  };
};

const steps = (actions: Action[]) => actions.filter((a) => a.type === 'outbox:recovery.run-step').map((a) => (a.params as { stepId: string }).stepId);
const wakes = (actions: Action[]) => actions.filter((a) => a.type === 'outbox:recovery.wake').map((a) => (a.params as { runAt: string }).runAt);
const finish = (actions: Action[]) => actions.filter((a) => a.type === 'outbox:recovery.finish').map((a) => a.params);

describe('recovery machine', () => {
  it('never paid: every step runs once on its day, the policy is cancelled at the end of grace, the window closes 14 days later', () => {
    const s = session();
    const ran: string[] = [];
    let actions = s.wake('2026-12-03T14:10:00.000-06:00');
    for (let turns = 0; turns < 20 && s.state !== 'closed'; turns++) {
      ran.push(...steps(actions));
      const [at] = wakes(actions);
      assert.ok(at, `no wake queued in ${s.state}`);
      actions = s.wake(at);
    }
    assert.deepEqual(ran, schedule.steps.map((x) => x.id));
    assert.equal(s.state, 'closed');
    assert.deepEqual(finish(actions), [{ dueId: 'due_1', outcome: 'closed', why: 'the reinstatement window ends unpaid' }]);
  });

  it('stops the moment the due is paid after the first text: nothing more is sent', () => {
    const s = session();
    assert.deepEqual(steps(s.wake('2026-12-03T14:10:00.000-06:00')), ['pay-link']);
    const actions = s.wake('2026-12-03T15:02:00.000-06:00', failedDue({ paidAt: '2026-12-03T15:01:00.000-06:00' }));
    assert.equal(s.state, 'stopped');
    assert.deepEqual(steps(actions), []);
    assert.deepEqual(wakes(actions), []);
    assert.deepEqual(finish(actions), [{ dueId: 'due_1', outcome: 'paid', why: 'paid 2026-12-03T15:01:00.000-06:00' }]);
  });

  it('runs a deferred call at the time the contact engine gave, once, without a second chain of wakes', () => {
    const s = session();
    s.wake('2026-12-03T14:10:00.000-06:00');
    const deferred = s.send({ type: 'STEP_DEFERRED', stepId: 'first-call', at: '2026-12-04T10:00:00.000-06:00', until: '2026-12-04T12:00:00.000-06:00' });
    assert.deepEqual(wakes(deferred), ['2026-12-04T12:00:00.000-06:00']);
    // The wake queued earlier for 10:00 finds nothing due and queues nothing new.
    const early = s.wake('2026-12-04T10:00:00.000-06:00');
    assert.deepEqual([steps(early), wakes(early)], [[], []]);
    const noon = s.wake('2026-12-04T12:00:00.000-06:00');
    assert.deepEqual(steps(noon), ['first-call']);
    assert.deepEqual(wakes(noon), ['2026-12-06T09:00:00.000-06:00']);
    assert.deepEqual(steps(s.wake('2026-12-04T12:00:30.000-06:00')), []);
  });

  it('reinstates a policy paid within the window after cancellation', () => {
    const s = session();
    s.wake('2027-01-02T00:00:00.000-06:00');
    assert.equal(s.state, 'reinstatementWindow');
    assert.equal(s.context.history.find((h) => h.stepId === 'cancel')?.outcome, 'done');
    const actions = s.wake('2027-01-09T08:00:00.000-06:00', failedDue({ paidAt: '2027-01-09T07:59:00.000-06:00' }));
    assert.equal(s.state, 'reinstated');
    assert.deepEqual(finish(actions).map((f) => (f as { outcome: string }).outcome), ['reinstated']);
  });

  it('on a hard decline queues a pay link where the schedule says charge retry, with the reason', () => {
    const s = session();
    const lost = failedDue({}, { declineCode: 'stolen_card' });
    const actions = s.wake('2026-12-06T09:00:00.000-06:00', lost);
    const retry = actions.map((a) => a.params as { stepId: string; does?: string; why?: string }).find((p) => p.stepId === 'first-retry');
    assert.equal(retry?.does, 'sms-pay-link');
    assert.match(retry?.why ?? '', /reported stolen/);
  });
});
