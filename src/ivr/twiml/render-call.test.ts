import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEPLOYED_MACHINES } from '../../flows/machines.js';
import type { CallStateName } from './call-states.js';
import type { StateRenderers } from './call-turn.js';
import { CALL_RENDERERS, renderCall, type CallRenderers } from './render-call.js';
import { goodbyeRenderers, renderHangUp } from './render-goodbye.js';
import { identifyRenderers } from './render-identify.js';
import { menuRenderers } from './render-menu.js';
import { passingRenderers } from './render-passing.js';
import { paymentRenderers } from './render-payment.js';
import { personRenderers } from './render-person.js';
import { context, due, renderInput } from './test-support/render-fixture.js';

const callMachines = DEPLOYED_MACHINES.filter((m) => m.id === 'inbound-call');

describe('renderer dispatch', () => {
  test('a renderer map missing a state, or naming a state no machine has, does not compile', () => {
    // @ts-expect-error 'goodbye' has no renderer (npm run typecheck fails if this line compiles)
    const incomplete: CallRenderers = {
      ...identifyRenderers,
      ...menuRenderers,
      ...paymentRenderers,
      ...personRenderers,
      ...passingRenderers,
      ended: renderHangUp,
    };
    // @ts-expect-error 'askPolicyNumbr' is not a state of the call machines
    const misspelt: StateRenderers<'askPolicyNumbr'> = { askPolicyNumbr: renderHangUp };
    assert.ok(incomplete && misspelt);
  });

  test('every state of every deployed version of the call machine has a renderer, and the map names no other', () => {
    assert.deepEqual(callMachines.map((m) => m.version), [1, 2, 3]);
    const machineStates = new Set(callMachines.flatMap((m) => Object.keys(m.machine.root.states)));
    for (const state of machineStates) {
      assert.equal(typeof CALL_RENDERERS[state as CallStateName], 'function', `no renderer for ${state}`);
    }
    assert.deepEqual(Object.keys(CALL_RENDERERS).sort(), [...machineStates].sort());
    assert.ok(machineStates.has('returnToMenu'), 'version 2 states are included');
    assert.ok(machineStates.has('retention'), 'version 3 states are included');
  });

  test('renderCall dispatches on the snapshot state and records it; a state no machine has hangs up', () => {
    const ctx = context({ due: due() });
    const input = renderInput('amountDue', ctx);
    assert.deepEqual(renderCall(input), menuRenderers.amountDue(input, 'amountDue'));
    assert.equal(renderCall(input).state, 'amountDue');

    const retired = { ...input, snapshot: { ...input.snapshot, value: 'retiredState' } } as never;
    const r = renderCall(retired);
    assert.equal(r.state, 'retiredState');
    assert.deepEqual(r.said, []);
    assert.match(r.twiml, /<Response><Hangup\/><\/Response>/);
    // Inherited names are not states.
    assert.match(renderCall({ ...input, snapshot: { ...input.snapshot, value: 'toString' } } as never).twiml, /<Hangup\/>/);
  });

  test('the rendered answer is pure: the same snapshot renders the same TwiML', () => {
    const input = renderInput('goodbye', context());
    assert.deepEqual(renderCall(input), renderCall(input));
    assert.equal(goodbyeRenderers.goodbye(input, 'goodbye').twiml, renderCall(input).twiml);
  });
});
