import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assign, initialTransition, setup, transition, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';
import { inboundCallMachine, type InboundCallEvent } from '../../src/flows/inbound-call.machine.js';
import { pureInitialTransition, pureTransition } from '../../src/turns/pure-transition.js';

const due = { dueId: 'd1', amountCents: 12450, currency: 'usd', dueDate: '2026-12-01', cardOnFile: null };
const caller = { policyholderId: 'h1', firstName: 'Ann', locale: 'en-US' as const, policies: [{ policyId: 'p1', policyNumber: 'HM-1', status: 'active' }] };

/** Walks the machine with xstate's own functions and with ours, step by step: same states, context and actions. */
const compare = (machine: AnyStateMachine, input: unknown, events: (EventObject | InboundCallEvent)[]) => {
  let [ours, oursActions] = pureInitialTransition(machine, input);
  let [theirs, theirsActions] = initialTransition(machine, input as never) as [AnyMachineSnapshot, { type: string; params?: unknown }[]];
  const seen: string[] = [];
  for (const event of [null, ...events]) {
    if (event) {
      [ours, oursActions] = pureTransition(machine, ours, event);
      [theirs, theirsActions] = transition(machine, theirs as never, event as never) as [AnyMachineSnapshot, { type: string; params?: unknown }[]];
    }
    assert.deepEqual(machine.getPersistedSnapshot(ours), machine.getPersistedSnapshot(theirs), `after ${event?.type ?? 'start'}`);
    assert.deepEqual(oursActions.map((a) => [a.type, a.params]), theirsActions.map((a) => [a.type, a.params]), `actions after ${event?.type ?? 'start'}`);
    seen.push(JSON.stringify(ours.value));
  }
  return seen;
};

test('the shared inert scope gives exactly what xstate transition() gives, on a whole pay call', () => {
  const states = compare(inboundCallMachine, { callSid: 'CA1', from: '+12025550100', to: '+18005550100', caller, defaultLocale: 'en-US' }, [
    { type: 'MENU', choice: 'pay', due },
    { type: 'PAY_RESULT', result: 'success', paymentMethodId: 'pm_1', last4: '4242', brand: 'visa' },
    { type: 'PAYMENT_STATUS', status: 'pending', confirmation: null, reason: null },
    { type: 'PAYMENT_STATUS', status: 'succeeded', confirmation: '12345', reason: null },
    { type: 'CALL_ENDED', status: 'completed' },
  ]);
  assert.ok(states.length === 6 && new Set(states).size >= 4, states.join(' → '));
});

test('unknown callers, retries and a queued charge compare equal too, and calls do not leak actions into each other', () => {
  const input = { callSid: 'CA2', from: '+12025550101', to: '+18005550100', caller: null, defaultLocale: 'es-US' };
  compare(inboundCallMachine, input, [
    { type: 'NO_INPUT' },
    { type: 'POLICY_LOOKUP', match: null },
    { type: 'POLICY_LOOKUP', match: caller },
    { type: 'VERIFICATION', passed: false },
    { type: 'VERIFICATION', passed: true },
    { type: 'MENU', choice: 'pay', due: { ...due, cardOnFile: { paymentMethodId: 'pm_2', brand: 'visa', last4: '1111' } } },
  ]);
  // An action collected for one call is never reported for the next one.
  const [s] = pureInitialTransition(inboundCallMachine, input);
  const [, none] = pureTransition(inboundCallMachine, s, { type: 'NO_INPUT' });
  assert.ok(!none.some((a) => a.type.startsWith('outbox:')), JSON.stringify(none));
});

test('a machine that invokes an actor is refused instead of sharing a scope it would corrupt', () => {
  const child = setup({}).createMachine({ id: 'child' });
  const m = setup({ actors: { child } }).createMachine({
    id: 'invoking', initial: 'a', context: { n: 0 },
    states: { a: { invoke: { src: 'child' }, on: { GO: { actions: assign({ n: 1 }) } } } },
  });
  assert.throws(() => pureInitialTransition(m, undefined), /invokes an actor; flows must stay pure/);
});
